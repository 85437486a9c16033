"""The staff second factor (R-28): enrolment at ``/account/two-factor``, the code step at ``/login/verify``."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from app.auth import totp
from app.auth.models import User
from app.core import audit
from app.extensions import db, limiter

bp = Blueprint("two_factor", __name__, template_folder="templates")
PENDING = "two_factor_pending"


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


def start_second_step(user, target):
    """Called by the login view after the password: park the user until the code is given."""
    session[PENDING] = {"user_id": user.id, "next": target}
    return redirect(url_for("two_factor.verify"))


@bp.route("/login/verify", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def verify():
    pending = session.get(PENDING)
    if not pending:
        return redirect(url_for("auth.login"))
    user = db.session.get(User, pending["user_id"])
    if user is None or not user.active or not user.totp_secret:
        session.pop(PENDING, None)
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if accept_code(user, form.code.data):
            session.pop(PENDING, None)
            audit.record("login.second_factor", user.email, user=user)
            db.session.commit()
            login_user(user)
            return redirect(pending.get("next") or url_for("admin.index"))
        audit.record("login.second_factor_failed", user.email, user=user)
        db.session.commit()
        form.code.errors.append(_("The code is wrong or has expired. Enter the current code."))
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
            if not accept_code(current_user, form.code.data):
                form.code.errors.append(_("The code is wrong or has expired. Enter the current code."))
            else:
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
