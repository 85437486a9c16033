"""Projects API: published projects for everyone, with a ``kind`` filter (investment, bidding, science)."""

from flask import Blueprint, request

from app.api.pagination import paginate
from app.core.errors import APIError
from app.core.scoping import get_scoped
from app.extensions import csrf
from app.projects.content import PROJECT
from app.projects.models import KINDS, Project
from app.projects.views import filtered

bp = Blueprint("projects_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.get("/projects")
def list_projects():
    """Published projects; filters ``kind``, ``field``, ``status``, ``q``."""
    kind = request.args.get("kind")
    if kind and kind not in KINDS:
        raise APIError(400, "Unknown kind.", fields={"kind": f"one of {', '.join(KINDS)}"})
    return paginate(filtered(request.args), PROJECT.schema())


@bp.get("/projects/<int:project_id>")
def get_project(project_id):
    """One published project with its kind's own fields in ``details``."""
    project = get_scoped(Project, project_id)
    if project is None or not project.is_visible:
        raise APIError(404, "No such project on this site.")
    return PROJECT.schema().dump(project)


def init_app(app):
    app.register_blueprint(bp)
