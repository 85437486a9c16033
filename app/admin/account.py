"""``/account/set-password/<token>``: the one-time link of an invitation (R-25, R-28).

The token is signed, expires after three days and is bound to the account's password hash,
so it stops working as soon as it has been used.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.admin.forms import SetPasswordForm
from app.admin.operations import set_password, user_for_password_token
from app.extensions import db, limiter

bp = Blueprint("account", __name__)


@bp.route("/account/set-password/<token>", methods=["GET", "POST"], endpoint="set_password")
@limiter.limit("30 per minute", methods=["POST"])
def set_password_view(token):
    user = user_for_password_token(token)
    if user is None:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        set_password(user, form.password.data)
        db.session.commit()
        flash(_("Your password is set. You can log in now."), "success")
        return redirect(url_for("auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/account/set_password.html", form=form, user=user), status
