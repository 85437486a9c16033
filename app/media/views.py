"""Serving stored media: only the request tenant's files, with the right headers (R-05)."""

import os

from flask import Blueprint, abort, current_app, send_file
from sqlalchemy import or_

from app.core.scoping import scoped
from app.extensions import db
from app.media import images
from app.media.models import MediaFile

bp = Blueprint("media", __name__)


@bp.get("/media/<name>")
def serve(name):
    if "/" in name or "\\" in name or name.startswith("."):
        abort(404)
    variant = images.VARIANT_RE.match(name)
    if variant:  # a responsive copy: belongs to the stored image of the same token
        condition = MediaFile.stored_name.in_([f"{variant.group(1)}.{ext}" for ext in ("jpg", "png")])
    else:
        condition = or_(MediaFile.stored_name == name, MediaFile.thumb_name == name)
    media = db.session.execute(scoped(MediaFile).where(condition)).scalars().first()
    if media is None:
        abort(404)
    path = os.path.join(current_app.config["MEDIA_ROOT"], name)
    if not os.path.isfile(path):
        abort(404)
    content_type = images.CONTENT_TYPES[variant.group(3)] if variant else media.content_type
    as_attachment = media.kind == "document"
    accel = current_app.config.get("MEDIA_ACCEL_REDIRECT")
    if accel:
        # nginx sends the file (deploy/nginx/portal.conf, internal location); the app has checked the tenant.
        response = current_app.response_class(mimetype=content_type)
        response.headers["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{name}"
        if as_attachment:
            response.headers.set("Content-Disposition", "attachment", filename=media.original_name or name)
        response.cache_control.public = True
        response.cache_control.max_age = 86400
    else:
        response = send_file(
            path,
            mimetype=content_type,
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
