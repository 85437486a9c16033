"""News (R-05, R-06, R-08 c, R-11): categories, articles, their public pages, feeds and API."""


def init_app(app):
    pass
