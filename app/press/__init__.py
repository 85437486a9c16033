"""Press releases (thông cáo báo chí; R-05, R-06, R-08 b, R-11): official statements to the press.

A reviewable type declared once in ``content.py``: the back office, the API, search, the sitemap,
the feed and the media library come from that declaration.
"""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from app import demo
    from app.extensions import db
    from app.press import api, content, views  # noqa: F401  (content: the declaration)
    from app.press.admin import PressReleaseView
    from app.press.demo import load_press
    from app.press.models import PressRelease

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    admin = app.extensions["portal_admin"]
    admin.add_view(
        PressReleaseView(PressRelease, db, name=_l("Press releases"), endpoint="press_admin", category=_l("News"))
    )
    demo.register(load_press)
