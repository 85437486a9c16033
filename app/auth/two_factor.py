"""The staff second factor (R-28): enrolment at ``/account/two-factor``, the code step at ``/login/verify``."""

import time

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from app.auth import totp
from app.auth.models import User
from app.auth.operations import claim_attempt, clear_failures, record_failure
from app.auth.sessions import PENDING, is_trusted, log_in
from app.core import audit
from app.core.tenancy import current_tenant
from app.extensions import db, limiter

bp = Blueprint("two_factor", __name__, template_folder="templates")
PENDING_SECONDS = 300  # the code must follow the password within five minutes


class CodeForm(FlaskForm):
    code = StringField(
        _l("Six-digit code from your authenticator app"),
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    secret = HiddenField()


def accept_code(user, code):
    """Check ``code`` for ``user`` and remember its time step so it cannot be used twice."""
    counter = totp.matching_counter(user.totp_secret, code)
    if counter is None or (user.totp_last_counter is not None and counter <= user.totp_last_counter):
        return False
    user.totp_last_counter = counter
    return True


def counted_code_check(user, form):
    """Check the code of ``form`` for ``user``, counted on the account like a password attempt.

    Whoever is here knows the password (or holds a session): without the count the six digits could be
    guessed at the request rate. Puts the error on the form and commits the count when refused.
    """
    tenant = current_tenant._get_current_object()
    trusted = is_trusted(user)
    if trusted and not claim_attempt(user, trusted=True):
        trusted = False
    if not trusted and not claim_attempt(user, trusted=False):
        db.session.commit()
        form.code.errors.append(_("Too many wrong attempts on this account. Wait a few minutes and try again."))
        return False
    if accept_code(user, form.code.data):
        clear_failures(user, trusted)
        return True
    record_failure(user, trusted, "login.second_factor_failed", tenant)
    db.session.commit()
    form.code.errors.append(_("The code is wrong or has expired. Enter the current code."))
    return False


def start_second_step(user, target):
    """Called by the login view after the password: park the user until the code is given."""
    session[PENDING] = {"user_id": user.id, "next": target, "v": user.session_version, "at": int(time.time())}
    return redirect(url_for("two_factor.verify"))


def _pending_user():
    """The user whose password step this session passed a moment ago, or None."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or int(time.time()) - pending.get("at", 0) > PENDING_SECONDS:
        return None, None
    user = db.session.get(User, pending.get("user_id"))
    if user is None or not user.active or not user.totp_secret or user.session_version != pending.get("v"):
        return None, None
    return user, pending


@bp.route("/login/verify", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], key_func=get_remote_address)
def verify():
    user, pending = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit() and counted_code_check(user, form):
        tenant = current_tenant._get_current_object()
        audit.record("login.second_factor", user.email, user=user, tenant=tenant)
        return log_in(user, pending.get("next") or url_for("admin.index"), tenant)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/verify.html", form=form), status


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def manage():
    form = CodeForm()
    if request.method == "GET":
        form.secret.data = "" if current_user.totp_secret else totp.new_secret()
    if form.validate_on_submit():
        if current_user.totp_secret:  # turning it off needs a valid current code
            if counted_code_check(current_user._get_current_object(), form):
                current_user.totp_secret = None
                current_user.totp_last_counter = None
                audit.record("two_factor.disable", current_user.email)
                db.session.commit()
                flash(_("Two-step verification is off."), "info")
                return redirect(url_for(".manage"))
        else:
            secret = (form.secret.data or "").strip().upper()
            if len(secret) < 16 or any(ch not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for ch in secret):
                abort(400)
            if totp.matching_counter(secret, form.code.data) is None:
                form.code.errors.append(_("The code is wrong or has expired. Enter the current code."))
            else:
                current_user.totp_secret = secret
                current_user.totp_last_counter = totp.matching_counter(secret, form.code.data)
                audit.record("two_factor.enable", current_user.email)
                db.session.commit()
                flash(_("Two-step verification is on. You will be asked for a code at each login."), "success")
                return redirect(url_for(".manage"))
    secret = form.secret.data
    return render_template(
        "auth/two_factor.html",
        form=form,
        enabled=bool(current_user.totp_secret),
        secret=secret,
        uri=totp.provisioning_uri(secret, current_user.email) if secret else None,
    ), (422 if form.errors else 200)
