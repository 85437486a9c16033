"""Login and logout on every tenant host; the session cookie stays on that host."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth.forms import LoginForm
from app.auth.models import User
from app.auth.operations import authenticate
from app.auth.permissions import can_read_backoffice
from app.auth.two_factor import start_second_step
from app.core import audit
from app.core.tenancy import current_tenant
from app.extensions import db, limiter, login_manager

bp = Blueprint("auth", __name__, template_folder="templates")


@login_manager.user_loader
def load_user(user_id):
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None


def _safe_next(target):
    """Only same-host relative paths are followed after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _login_limit():
    return current_app.config.get("LOGIN_RATE_LIMIT", "20 per minute")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data, current_tenant._get_current_object())
        db.session.commit()
        if user is None:
            form.password.errors.append(_("Wrong email or password, or the account is locked for a while."))
        else:
            target = _safe_next(form.next.data)
            if target is None:
                target = url_for("admin.index") if can_read_backoffice(user, current_tenant) else url_for("public.home")
            if user.totp_secret:
                return start_second_step(user, target)
            login_user(user)
            if not can_read_backoffice(user, current_tenant):
                flash(_("You are logged in, but you have no role on this site."), "warning")
            return redirect(target)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST", "GET"])
def logout():
    if current_user.is_authenticated:
        audit.record("logout", current_user.email)
        db.session.commit()
    logout_user()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("public.home"))
