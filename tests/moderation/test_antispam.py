"""R-16: anti-automation on public forms: honeypot, minimum fill time, signed timestamp, rate limits."""

import time

import pytest

from app.moderation import antispam


@pytest.fixture
def ctx(app):
    with app.test_request_context(base_url="http://localhost"):
        yield


def test_accepts_a_person(ctx):
    antispam.check_submission("f", {"form_started": antispam.issue_token("f", time.time() - 10), "website": ""})


def test_refuses_the_honeypot(ctx):
    """R-16: a filled honeypot field is refused."""
    with pytest.raises(antispam.Refused) as exc:
        antispam.check_submission(
            "f", {"form_started": antispam.issue_token("f", time.time() - 10), "website": "http://spam"}
        )
    assert exc.value.reason == "honeypot"


def test_refuses_too_fast(ctx):
    """R-16: a form sent within the minimum fill time is refused."""
    with pytest.raises(antispam.Refused) as exc:
        antispam.check_submission("f", {"form_started": antispam.issue_token("f"), "website": ""})
    assert exc.value.reason == "too_fast"


@pytest.mark.parametrize("token", ["", "forged.value", None])
def test_refuses_missing_or_forged_timestamp(ctx, token):
    with pytest.raises(antispam.Refused) as exc:
        antispam.check_submission("f", {"form_started": token, "website": ""})
    assert exc.value.reason == "timestamp"


def test_refuses_a_timestamp_of_another_form(ctx):
    with pytest.raises(antispam.Refused):
        antispam.check_submission("f", {"form_started": antispam.issue_token("g", time.time() - 10)})


def test_refuses_a_stale_form(ctx):
    with pytest.raises(antispam.Refused) as exc:
        antispam.check_submission("f", {"form_started": antispam.issue_token("f", time.time() - 10 * 24 * 3600)})
    assert exc.value.reason == "stale"
