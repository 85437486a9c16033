"""The press release, declared once."""

from flask_babel import lazy_gettext as _l

from app.core.fields import ATTACHMENTS, COVER, Field, Kind, english, titled
from app.press.models import PressRelease
from app.press.schemas import PressReleaseSchema
from app.workflow.operations import copy_for_portal
from app.workflow.registry import ContentType, register

TEXT = titled(summary_max=2000)


def sample(tenant, author):
    return PressRelease(
        title="Thông cáo báo chí mẫu",
        summary="Tóm tắt thông cáo mẫu.",
        body="<p>Nội dung thông cáo mẫu.</p>",
        contact_name="Văn phòng",
    )


PRESS_RELEASE = register(
    ContentType(
        name="press_release",
        collection="press",
        model=PressRelease,
        label=_l("Press release"),
        endpoint="press.detail",
        admin_endpoint="press_admin",
        schema=PressReleaseSchema,
        propose=copy_for_portal,
        slug_from="title",
        deadline_days=1,
        sample=sample,
        fields=(
            *TEXT,
            COVER,
            ATTACHMENTS,
            Field("contact_name", Kind.TEXT, _l("Press contact"), max_length=200),
            Field("contact_email", Kind.EMAIL, _l("Press contact email"), max_length=255),
            Field("contact_phone", Kind.TEXT, _l("Press contact phone"), max_length=50),
            Field("link", Kind.URL, _l("Related link"), max_length=500),
            *english(TEXT),
        ),
    )
)
