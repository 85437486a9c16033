"""Helpers for tests of public forms: a filled-in post with a valid, backdated form timestamp."""

import time

from app.moderation import antispam


def form_post(client, path, form_name, data, action=None, seconds_ago=10, **kwargs):
    """GET ``path`` for its CSRF token, then POST ``data`` as a person who took ``seconds_ago`` seconds."""
    token = client.csrf_token(path)
    with client.app.app_context():
        started = antispam.issue_token(form_name, time.time() - seconds_ago)
    payload = {"csrf_token": token, "form_started": started, "website": "", **data}
    return client.post(action or path, data=payload, **kwargs)
