"""The media library (R-05): uploads checked by content, stored under MEDIA_ROOT, reused per tenant.

``storage.save_upload`` is the one way files enter; ``/media/<name>`` serves them on their tenant's
host only; ``/admin/media/`` is the staff library and ``/admin/media/browse.json`` the editor's picker.
"""

import logging

log = logging.getLogger(__name__)
# Room above the largest file for the multipart envelope and the form's other fields.
REQUEST_MARGIN = 10 * 1024 * 1024


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from app.media.admin import MediaLibraryView
    from app.media.storage import limits
    from app.media.views import bp

    app.register_blueprint(bp)
    needed = max(limits(app.config).values()) + REQUEST_MARGIN
    ceiling = app.config.get("MAX_CONTENT_LENGTH")
    if ceiling is not None and ceiling < needed:
        log.warning("MAX_CONTENT_LENGTH %s is below the largest media limit; raised to %s", ceiling, needed)
        app.config["MAX_CONTENT_LENGTH"] = needed
    app.extensions["portal_admin"].add_view(
        MediaLibraryView(name=_l("Media library"), endpoint="media_library", url="/admin/media")
    )
