"""Login and logout on every tenant host; the session cookie stays on that host."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.auth.forms import ForgotPasswordForm, LoginForm, LogoutForm, ResetPasswordForm
from app.auth.operations import authenticate, request_password_reset, reset_password, setting, user_for_reset_token
from app.auth.permissions import can_read_backoffice
from app.auth.sessions import is_trusted, log_in, log_out
from app.auth.two_factor import start_second_step
from app.core.mail import send_mail
from app.core.tenancy import current_tenant, tenant_url
from app.extensions import db, limiter

bp = Blueprint("auth", __name__, template_folder="templates")


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


def _reset_limit():
    return current_app.config.get("PASSWORD_RESET_RATE_LIMIT", "10 per hour")


# The address alone keys these limits (not the tenant as elsewhere): an attacker gets the same
# allowance whichever subsite host they use.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=get_remote_address)
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        tenant = current_tenant._get_current_object()
        user = authenticate(form.email.data, form.password.data, tenant, is_trusted=is_trusted)
        db.session.commit()
        if user is None:
            form.password.errors.append(_("Wrong email or password, or the account is locked for a while."))
        else:
            target = _safe_next(form.next.data)
            if target is None:
                target = url_for("admin.index") if can_read_backoffice(user, current_tenant) else url_for("public.home")
            if user.totp_secret:
                return start_second_step(user, target)
            if not can_read_backoffice(user, current_tenant):
                flash(_("You are logged in, but you have no role on this site."), "warning")
            return log_in(user, target, tenant)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """GET asks to confirm (a link or a prefetch never logs anyone out); POST, with its CSRF token, logs out."""
    if not current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = LogoutForm()
    if form.validate_on_submit():
        log_out()
        flash(_("You have been logged out."), "info")
        return redirect(url_for("public.home"))
    return render_template("auth/logout.html", form=form)


@bp.route("/login/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=get_remote_address)
def forgot_password():
    """Ask for a reset link; every address gets the same page, at the same speed (the mail leaves after it)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        tenant = current_tenant._get_current_object()
        prepared = request_password_reset(form.email.data, tenant)
        message = None
        if prepared is not None:
            user, token = prepared
            minutes = setting("PASSWORD_RESET_MAX_AGE") // 60
            body = _(
                "Hello,\n\nSomeone, probably you, asked to reset the password of the account %(email)s "
                "on %(site)s.\n\nChoose a new password here (the link works once, for %(minutes)d minutes):\n"
                "%(link)s\n\nIf you did not ask for it, ignore this message: your password does not change.\n",
                email=user.email,
                site=tenant.name_vi,
                minutes=minutes,
                link=tenant_url(tenant, "auth.reset_password", token=token),
            )
            message = (user.email, _("Reset your password for %(site)s", site=tenant.name_vi), body)
        db.session.commit()
        response = current_app.make_response(render_template("auth/forgot_sent.html"))
        if message is not None:
            app = current_app._get_current_object()

            def send():
                with app.app_context():
                    send_mail(*message)

            # After the answer has gone: the time to reach the mail server would tell who has an account.
            response.call_on_close(send)
        return response
    status = 422 if request.method == "POST" else 200
    return render_template("auth/forgot.html", form=form), status


@bp.route("/login/reset/<token>", methods=["GET", "POST"], endpoint="reset_password")
@limiter.limit("30 per minute", methods=["POST"], key_func=get_remote_address)
def reset_password_view(token):
    user = user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        reset_password(user, form.password.data, current_tenant._get_current_object())
        db.session.commit()
        flash(_("Your password has been changed. Log in with the new one."), "success")
        return redirect(url_for("auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/choose_password.html", form=form, user=user), status
