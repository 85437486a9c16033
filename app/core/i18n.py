"""Interface language (R-06): ``?lang=vi|en`` switches and is remembered in a cookie."""

from urllib.parse import urlencode

from flask import current_app, has_request_context, request
from flask_babel import get_locale
from markupsafe import Markup

LANG_COOKIE = "lang"


def select_locale():
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in languages:
        return remembered
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_language(response):
    """``after_request`` hook: store an explicit ``?lang=`` choice for the next visits."""
    asked = request.args.get("lang")
    if asked in current_app.config["LANGUAGES"] and request.cookies.get(LANG_COOKIE) != asked:
        response.set_cookie(
            LANG_COOKIE,
            asked,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    if not request.path.startswith("/api/"):
        response.vary.add("Cookie")
    return response


def current_language():
    return str(get_locale() or "vi")


def localized(obj, field):
    """Return ``obj.<field>_en`` on the English site when it has one, else ``obj.<field>_vi``."""
    if current_language() == "en":
        value = getattr(obj, f"{field}_en", None)
        if value:
            return value
    return getattr(obj, f"{field}_vi", None) or getattr(obj, field, None)


def localized_text(obj, field):
    """:func:`localized` for the body of an element: a Vietnamese value shown on the English site (the item has
    no English version) is marked ``<span lang="vi">``, so a screen reader reads it in Vietnamese (WCAG 3.1.2)."""
    value = localized(obj, field)
    if current_language() != "vi" and value and not getattr(obj, f"{field}_en", None):
        return Markup('<span lang="vi">{}</span>').format(value)
    return value


def lang_of(obj, field):
    """`` lang="vi"`` (an attribute) where :func:`localized` falls back to Vietnamese on the English site, or ``""``."""
    if current_language() != "vi" and not getattr(obj, f"{field}_en", None):
        return Markup(' lang="vi"')
    return ""


def url_with_lang(lang):
    """The current URL with ``lang`` replaced: the target of the language switch."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    return f"{request.path}?{urlencode(args, doseq=True)}"


def local_datetime(value, fmt="dd/MM/yyyy HH:mm"):
    """Format a stored (naive UTC) datetime in the server's zone for display."""
    from flask_babel import format_datetime

    from app.core.timeutil import to_local

    if value is None:
        return ""
    return format_datetime(to_local(value), fmt)


def local_date(value, fmt="dd/MM/yyyy"):
    return local_datetime(value, fmt)


def init_app(app):
    app.after_request(remember_language)
    app.jinja_env.globals.update(
        current_language=current_language,
        localized=localized,
        localized_text=localized_text,
        lang_of=lang_of,
        url_with_lang=url_with_lang,
    )
    app.jinja_env.filters.update(local_datetime=local_datetime, local_date=local_date)


class FormMessage(str):
    """A form validation message that is a real ``str`` (Flask-Admin's templates show only strings) and is
    translated into the request's language when shown. Extracted by Babel (``-k FormMessage``)."""

    def __str__(self):
        from flask_babel import gettext

        return gettext(str.__str__(self))

    def __html__(self):
        return str(self)
