"""The account pages: ``/account/set-password/<token>``, the one-time link of an invitation, and
``/admin/account/``, a user's API tokens (R-25, R-28).

The invitation token is signed, expires after three days and is bound to the account's password
hash, so it stops working as soon as it has been used. The token pages list a user's tokens with
their expiry and last use; the user, or whoever manages the account, revokes them there.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user

from app.admin.forms import SetPasswordForm
from app.admin.operations import can_manage_account, set_password, user_for_password_token
from app.auth.models import User
from app.auth.operations import revoke_tokens, tokens_of
from app.auth.permissions import can_read_backoffice, has_role
from app.core.tenancy import current_tenant
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
    return render_template("auth/choose_password.html", form=form, user=user), status


def can_manage_tokens(actor, user, tenant):
    """The owner, the province admin, and the tenant admin of an account that belongs to ``tenant`` alone."""
    if user.id == actor.id or actor.is_province_admin:
        return True
    return has_role(actor, tenant, "tenant_admin") and can_manage_account(actor, user, tenant)


class AccountView(BaseView):
    """``/admin/account/``: my API tokens; ``/admin/account/users/<id>/``: the tokens of an account I manage.

    Anyone with access to this site's back office may see and revoke their own tokens (the inspector
    too: revoking is not a change to content); others' tokens are for the province admin and for the
    tenant admin of an account that belongs to this site alone.
    """

    def is_accessible(self):
        return can_read_backoffice(current_user, current_tenant)

    def is_visible(self):
        return False  # reached from the user menu, not from the module menu

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(403)

    def _account(self, user_id):
        """Load the account ``user_id`` and check the current user may manage its tokens (404 otherwise)."""
        user = db.session.get(User, user_id)
        if user is None:
            abort(404)
        if not can_manage_tokens(current_user, user, current_tenant._get_current_object()):
            abort(404)
        return user

    @expose("/")
    def index(self):
        return self._tokens_page(current_user._get_current_object())

    @expose("/users/<int:user_id>/")
    def user_tokens(self, user_id):
        return self._tokens_page(self._account(user_id))

    def _tokens_page(self, user):
        return self.render(
            "admin/account/tokens.html", account=user, tokens=tokens_of(user), own=user.id == current_user.id
        )

    @expose("/users/<int:user_id>/revoke", methods=("POST",))
    def revoke(self, user_id):
        """Revoke one token (``token_id`` in the form) or all of them (``all``); CSRF is checked app-wide."""
        user = self._account(user_id)
        token_id = request.form.get("token_id", type=int)
        every = request.form.get("all") == "1"
        if token_id is None and not every:
            abort(400)
        revoked = revoke_tokens(user, actor=current_user, token_id=token_id, every=every)
        db.session.commit()
        if revoked:
            flash(_("Tokens revoked: %(num)d.", num=len(revoked)), "success")
        else:
            flash(_("There was no active token to revoke."), "info")
        if user.id == current_user.id:
            return redirect(url_for(".index"))
        return redirect(url_for(".user_tokens", user_id=user.id))
