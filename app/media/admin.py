"""The back-office media library at ``/admin/media/`` and its JSON picker for the editor (R-05).

Any member reads; contributors and up upload; editors and up delete unused files; the inspector
reads only. Every lookup goes through the tenant scope: another tenant's id is a 404.
"""

import math

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from app.admin.views import AccessMixin, show_error
from app.auth.models import User
from app.core.errors import handle_http_error, json_error
from app.core.scoping import get_scoped_or_404
from app.core.tenancy import current_tenant
from app.extensions import db
from app.media import operations
from app.media.models import MEDIA_KINDS, MediaFile
from app.media.storage import MB, MediaError, limits

PAGE_SIZE = 24
BROWSE_PAGE_SIZE = 30


def wants_json():
    """XMLHttpRequest uploads and the picker ask for JSON; the plain form gets HTML."""
    return request.accept_mimetypes.best == "application/json" or request.path.endswith(".json")


def _page_arg():
    try:
        return max(int(request.args.get("page", 1)), 1)
    except ValueError:
        return 1


def _kind_labels():
    return {"image": _("Images"), "video": _("Video"), "audio": _("Audio"), "document": _("Documents")}


def _limits_text():
    labels = _kind_labels()
    return ", ".join(f"{labels[k]}: {round(v / MB, 1):g} MB" for k, v in limits().items() if k in labels)


class MediaLibraryView(AccessMixin, BaseView):
    """``/admin/media/``: the grid, uploads, one file's page (alt text, caption, delete), ``browse.json``."""

    def create_blueprint(self, admin):
        blueprint = super().create_blueprint(admin)
        # The request limit is hit while the body is parsed (CSRF check included): say so clearly.
        blueprint.register_error_handler(RequestEntityTooLarge, self._too_large)
        return blueprint

    def _too_large(self, exc):
        message = _(
            "The upload is too large. Send fewer files at once; limits per file: %(limits)s.", limits=_limits_text()
        )
        if wants_json():
            return json_error(413, message)
        if not self.is_accessible():
            return handle_http_error(exc)
        return self.render("admin/media/message.html", message=message), 413

    def inaccessible_callback(self, name, **kwargs):
        if request.path.endswith(".json"):
            return json_error(403, _("You do not have permission to view this page."))
        return super().inaccessible_callback(name, **kwargs)

    @expose("/")
    def index(self):
        return self._render_library()

    def _render_library(self, stored=(), refused=(), status=200):
        tenant = current_tenant._get_current_object()
        q = request.args.get("q", "").strip()
        kind = request.args.get("kind", "")
        kind = kind if kind in MEDIA_KINDS else ""
        page = _page_arg()
        items, total = operations.search(tenant, q, kind, page, PAGE_SIZE)
        uploader_ids = {m.uploaded_by_id for m in items if m.uploaded_by_id}
        uploaders = {}
        if uploader_ids:
            rows = db.session.execute(select(User).where(User.id.in_(uploader_ids))).scalars()
            uploaders = {u.id: u.display_name() for u in rows}
        return (
            self.render(
                "admin/media/index.html",
                items=items,
                total=total,
                page=page,
                pages=max(math.ceil(total / PAGE_SIZE), 1),
                q=q,
                kind=kind,
                kinds=_kind_labels(),
                usage=operations.usage_counts(tenant),
                uploaders=uploaders,
                stored=stored,
                refused=refused,
                limits_text=_limits_text(),
                can_upload=operations.can_upload(current_user, tenant),
            ),
            status,
        )

    @expose("/upload", methods=["POST"])
    def upload(self):
        tenant = current_tenant._get_current_object()
        if not operations.can_upload(current_user, tenant):
            abort(403)
        files = request.files.getlist("files")
        if not any(f.filename for f in files):
            message = _("Choose at least one file.")
            if wants_json():
                return json_error(400, message)
            return self._render_library(refused=[("", message)], status=400)
        stored, refused = operations.upload_files(files, tenant, current_user)
        status = 200 if stored or not refused else 422
        if wants_json():
            body = {
                "stored": [operations.browse_item(m) for m in stored],
                "refused": [{"name": name, "reason": reason} for name, reason in refused],
            }
            response = jsonify(body)
            response.status_code = status
            return response
        return self._render_library(stored=stored, refused=refused, status=status)

    @expose("/<int:media_id>", methods=["GET", "POST"])
    def detail(self, media_id):
        tenant = current_tenant._get_current_object()
        media = get_scoped_or_404(MediaFile, media_id, tenant)
        editable = operations.can_edit(current_user, tenant, media)
        if request.method == "POST":
            if not editable:
                abort(403)
            operations.update_details(media, current_user, tenant, request.form.get("alt"), request.form.get("caption"))
            flash(_("Saved."), "success")
            return redirect(url_for(".detail", media_id=media.id))
        uploader = db.session.get(User, media.uploaded_by_id) if media.uploaded_by_id else None
        uses = operations.uses_of(media, tenant)
        return self.render(
            "admin/media/detail.html",
            media=media,
            uploader=uploader,
            used=len(uses),
            uses=uses,
            kinds=_kind_labels(),
            can_edit=editable,
            can_delete=operations.can_delete(current_user, tenant),
        )

    @expose("/<int:media_id>/delete", methods=["POST"])
    def delete(self, media_id):
        tenant = current_tenant._get_current_object()
        media = get_scoped_or_404(MediaFile, media_id, tenant)
        if not operations.can_delete(current_user, tenant):
            abort(403)
        try:
            operations.delete_media(media, current_user, tenant)
        except MediaError as exc:
            db.session.rollback()
            show_error(exc)
            return redirect(url_for(".detail", media_id=media_id), code=303)
        flash(_("The file was deleted."), "success")
        return redirect(url_for(".index"), code=303)

    @expose("/browse.json")
    def browse(self):
        """The editor's picker: ``{"items": [...], "page", "total"}`` of this tenant's files."""
        tenant = current_tenant._get_current_object()
        kind = request.args.get("kind", "")
        page = _page_arg()
        items, total = operations.search(tenant, request.args.get("q", ""), kind, page, BROWSE_PAGE_SIZE)
        return jsonify(
            items=[operations.browse_item(m) for m in items], page=page, per_page=BROWSE_PAGE_SIZE, total=total
        )
