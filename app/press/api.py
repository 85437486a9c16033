"""Press releases in the API: the generic collection of a declared type (list, detail, create, change)."""

from flask import Blueprint

from app.api.content import LARGE_BODY, register_collection
from app.extensions import csrf
from app.press.content import PRESS_RELEASE

bp = Blueprint("press_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
register_collection(
    bp,
    PRESS_RELEASE,
    max_body=LARGE_BODY,
    example={
        "title": "Thông cáo báo chí về Hội nghị xúc tiến đầu tư tỉnh Bình Phước năm 2027",
        "summary": "Hội nghị diễn ra ngày 15/3/2027 tại Thành phố Đồng Xoài.",
        "body": "<p>Ủy ban nhân dân tỉnh tổ chức Hội nghị xúc tiến đầu tư năm 2027.</p>",
        "contact_name": "Văn phòng Ủy ban nhân dân tỉnh",
    },
)
