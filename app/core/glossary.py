"""The English names of stored Vietnamese values people filter by (document types, issuing bodies, fields,
implementing agencies): the catalogues' entries of context ``stored value``, read by ``_filters.html`` with
``pgettext("stored value", value)``. A value missing here stays Vietnamese, marked ``lang="vi"``.

Nothing calls :func:`_entries`: it only lists the values for ``pybabel extract`` (the English catalogue holds
their English names; ``make i18n`` keeps them).
"""

from flask_babel import pgettext


def _entries():  # pragma: no cover - read by the extractor, never run
    return [
        # Kinds of legal documents
        pgettext("stored value", "Luật"),
        pgettext("stored value", "Nghị định"),
        pgettext("stored value", "Nghị quyết"),
        pgettext("stored value", "Quyết định"),
        pgettext("stored value", "Chỉ thị"),
        pgettext("stored value", "Thông tư"),
        pgettext("stored value", "Kế hoạch"),
        pgettext("stored value", "Công văn"),
        pgettext("stored value", "Hướng dẫn"),
        # Issuing bodies and implementing agencies
        pgettext("stored value", "Hội đồng nhân dân tỉnh Bình Phước"),
        pgettext("stored value", "Ủy ban nhân dân tỉnh Bình Phước"),
        pgettext("stored value", "Văn phòng UBND tỉnh"),
        pgettext("stored value", "Cổng thông tin điện tử tỉnh Bình Phước"),
        pgettext("stored value", "Sở Giáo dục và Đào tạo"),
        pgettext("stored value", "Sở Kế hoạch và Đầu tư"),
        pgettext("stored value", "Sở Nông nghiệp và Phát triển nông thôn"),
        pgettext("stored value", "Sở Tài chính"),
        pgettext("stored value", "Sở Tư pháp"),
        pgettext("stored value", "Sở Y tế"),
        pgettext("stored value", "UBND huyện Chơn Thành"),
        pgettext("stored value", "UBND thị xã Đồng Xoài"),
        # Fields
        pgettext("stored value", "Chăn nuôi"),
        pgettext("stored value", "Chứng thực"),
        pgettext("stored value", "Công chứng"),
        pgettext("stored value", "Công nghiệp"),
        pgettext("stored value", "Công nghệ thông tin"),
        pgettext("stored value", "Du lịch"),
        pgettext("stored value", "Giáo dục và Đào tạo"),
        pgettext("stored value", "Giải quyết khiếu nại"),
        pgettext("stored value", "Hộ tịch"),
        pgettext("stored value", "Lao động - Thương binh và Xã hội"),
        pgettext("stored value", "Luật sư"),
        pgettext("stored value", "Lâm nghiệp"),
        pgettext("stored value", "Lý lịch tư pháp"),
        pgettext("stored value", "Nông nghiệp"),
        pgettext("stored value", "Nội vụ"),
        pgettext("stored value", "Quản lý công sản"),
        pgettext("stored value", "Thành lập và hoạt động của doanh nghiệp"),
        pgettext("stored value", "Thông tin và Truyền thông"),
        pgettext("stored value", "Thú y"),
        pgettext("stored value", "Thương mại - Dịch vụ"),
        pgettext("stored value", "Thủy lợi"),
        pgettext("stored value", "Tiếp công dân"),
        pgettext("stored value", "Trồng trọt"),
        pgettext("stored value", "Trợ giúp pháp lý"),
        pgettext("stored value", "Tài chính ngân sách"),
        pgettext("stored value", "Văn hóa"),
        pgettext("stored value", "Xây dựng"),
        pgettext("stored value", "Y tế"),
        pgettext("stored value", "Đất đai"),
        pgettext("stored value", "Đấu thầu"),
        pgettext("stored value", "Đầu tư tại Việt Nam"),
    ]
