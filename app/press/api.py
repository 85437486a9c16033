"""Press releases in the API: the generic collection of a declared type (list, detail, create, change)."""

from flask import Blueprint

from app.api.content import register_collection
from app.extensions import csrf
from app.press.content import PRESS_RELEASE

bp = Blueprint("press_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
register_collection(bp, PRESS_RELEASE)
