"""``/my/``: follow agencies and topics (signed cookie), "My news", and email subscriptions (R-18)."""

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core.tenancy import current_tenant
from app.extensions import csrf, db
from app.moderation import antispam
from app.subscriptions import operations as ops
from app.subscriptions.forms import SubscribeForm

bp = Blueprint("subscriptions", __name__, template_folder="templates")
FORM_NAME = "subscribe"


def _message(title, message, status=200):
    return render_template("subscriptions/message.html", title=title, message=message), status


def _page(form, status=200, message=None):
    codes, slugs = ops.read_follows(request.cookies.get(ops.COOKIE))
    return render_template(
        "subscriptions/my.html",
        codes=codes,
        slugs=slugs,
        agencies=ops.agencies(),
        topics=ops.topics(),
        items=ops.recent_items(codes, slugs),
        consultations=ops.new_consultations(codes, limit=10) if codes else [],
        form=form,
        purpose=ops.PURPOSE,
        form_name=FORM_NAME,
        message=message,
    ), status


@bp.route("/my/")
def my():
    return _page(SubscribeForm(formdata=None))


@bp.route("/my/follow", methods=["POST"])
def follow():
    value, codes, slugs = ops.follows_cookie(request.form.getlist("tenant"), request.form.getlist("topic"))
    response = make_response(redirect(url_for(".my")))
    response.set_cookie(
        ops.COOKIE, value, max_age=ops.COOKIE_MAX_AGE, httponly=True, samesite="Lax", secure=request.is_secure
    )
    return response


@bp.route("/my/subscribe", methods=["POST"])
@antispam.rate_limit("subscribe")
def subscribe():
    refused = antispam.refusal(FORM_NAME, url_for(".my"))
    if refused is not None:
        return refused
    form = SubscribeForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    codes, slugs = ops.read_follows(request.cookies.get(ops.COOKIE))
    if not codes and not slugs and not form.consultations.data:
        form.consultations.errors = [_("Follow at least one agency or topic first, or choose new drafts.")]
        return _page(form, 422)
    ops.subscribe(
        current_tenant._get_current_object(), form.email.data, codes, slugs, form.consultations.data, form.consent.data
    )
    db.session.commit()
    return _message(
        _("Check your email"), _("We sent you a link to confirm the subscription. Nothing is sent until you open it.")
    )


@bp.route("/my/subscribe/confirm/<token>")
def confirm(token):
    sub = ops.load_confirm_token(token)
    if sub is None:
        return _message(
            _("Link not valid"), _("This confirmation link is not valid or has expired. Please subscribe again."), 404
        )
    ops.confirm(sub)
    db.session.commit()
    return _message(_("Subscription confirmed"), _("Thank you. You will receive the updates you chose."))


@bp.route("/my/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients send the RFC 8058 one-click POST without a form token
def unsubscribe(token):
    sub = ops.load_unsubscribe_token(token)
    if sub is None:
        abort(404)
    if request.method == "POST":
        ops.unsubscribe(sub)
        db.session.commit()
        return _message(_("Unsubscribed"), _("You will receive no more messages from this subscription."))
    return render_template("subscriptions/unsubscribe.html", token=token)


def home_block(tenant):
    """On the portal's home page: the way to "My news" (R-18)."""
    return (90, "subscriptions/_home_block.html", None) if tenant.is_portal else None
