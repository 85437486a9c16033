"""Serving stored media: only the request tenant's files, with the right headers (R-05)."""

import os

from flask import Blueprint, abort, current_app, send_file
from sqlalchemy import or_

from app.core.scoping import scoped
from app.extensions import db
from app.media.models import MediaFile

bp = Blueprint("media", __name__)


@bp.get("/media/<name>")
def serve(name):
    if "/" in name or "\\" in name or name.startswith("."):
        abort(404)
    media = (
        db.session.execute(scoped(MediaFile).where(or_(MediaFile.stored_name == name, MediaFile.thumb_name == name)))
        .scalars()
        .first()
    )
    if media is None:
        abort(404)
    path = os.path.join(current_app.config["MEDIA_ROOT"], name)
    if not os.path.isfile(path):
        abort(404)
    as_attachment = media.kind == "document"
    response = send_file(
        path,
        mimetype=media.content_type,
        as_attachment=as_attachment,
        download_name=media.original_name or name,
        max_age=86400,
        conditional=True,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    if not as_attachment:
        response.headers["Content-Disposition"] = "inline"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
