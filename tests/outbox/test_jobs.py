"""Issue 15: periodic jobs run once per cluster; staff notices (badge and email); the weekly backup, its retention
and the "last good backup" indicator."""

import os
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.backup.schedule import prune, to_keep
from app.core import jobs
from app.core.notices import StaffNotice
from app.core.timeutil import utcnow
from app.extensions import db
from app.tasks.jobs import SCHEDULE, search_repair, weekly_backup
from app.tasks.worker import run_job
from tests.outbox.test_outbox import ask


def test_a_job_runs_once_per_scheduled_minute_across_servers(app):
    """Two servers' workers start the same job for the same minute: one runs it, the other skips it."""
    calls = []
    with app.app_context():
        assert run_job("demo", lambda: calls.append(1) or "ran", slot="2026-01-05T00:05") == "ran"
        assert run_job("demo", lambda: calls.append(2) or "ran", slot="2026-01-05T00:05") is None
        assert run_job("demo", lambda: calls.append(3) or "ran", slot="2026-01-05T01:05") == "ran"
        statuses = db.session.execute(select(jobs.TaskRun.status).where(jobs.TaskRun.name == "demo")).scalars().all()
    assert calls == [1, 3] and statuses == ["done", "done"]


def test_a_failed_job_is_recorded_and_the_next_minute_runs_again(app):
    def boom():
        raise RuntimeError("disk full")

    with app.app_context():
        with pytest.raises(RuntimeError):
            run_job("demo", boom, slot="2026-01-05T00:05")
        run = db.session.execute(select(jobs.TaskRun).where(jobs.TaskRun.name == "demo")).scalar_one()
        assert run.status == "failed" and "disk full" in run.detail
        assert run_job("demo", lambda: "ok", slot="2026-01-05T00:06") == "ok"


def test_every_periodic_job_of_the_issue_is_scheduled():
    assert set(SCHEDULE) >= {
        "deliver_outbox",
        "question_reminders",
        "review_deadlines",
        "subscription_digests",
        "consultation_notices",
        "search_repair",
        "weekly_backup",
    }
    assert all(once for name, (_when, _job, once) in SCHEDULE.items() if name != "deliver_outbox")


@pytest.mark.parametrize("name", [n for n in SCHEDULE if n not in ("weekly_backup",)])
def test_every_periodic_job_runs_on_an_empty_site(app, name):
    """Each job runs to the end on the reference data (and records its run)."""
    _when, job, once = SCHEDULE[name]
    with app.app_context():
        assert isinstance(run_job(name, job, once, slot="2026-01-05T00:00"), str)


def test_search_repair_tolerates_a_search_module_without_the_function(app, monkeypatch):
    monkeypatch.setattr("app.tasks.jobs.SEARCH_REPAIR", (("app.search", "no_such_function"),))
    with app.app_context():
        assert search_repair() == "no search repair function"


def test_a_new_question_gives_the_site_staff_a_notice_and_an_email(app, client_for, make_user, smtp_server):
    editor = make_user("editor", "stc")
    ask(client_for)
    assert any(m["to"] == [editor] for m in smtp_server.messages)
    c = client_for("stc")
    assert c.login(editor).status_code == 302
    page = c.get("/admin/").get_data(as_text=True)
    assert 'data-unread="1"' in page
    token = c.csrf_token("/admin/notices/")
    assert c.post("/admin/notices/read", data={"csrf_token": token}).status_code == 302
    assert 'data-unread="0"' in c.get("/admin/").get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(StaffNotice.read_at)).scalar() is not None


def test_review_notices_reach_the_badge(app, client_for, make_user, tenant):
    """The item waiting for my review: a notice on the reviewer's dashboard (the email is tests/workflow's)."""
    author = make_user("contributor", "stc")
    head = make_user("head", "stc")
    stc_id = tenant("stc").id
    from app.news.models import Article
    from app.workflow.operations import transition

    with app.test_request_context(base_url="http://stc.localhost"):
        from app.auth.operations import find_user

        user = find_user(author)
        article = Article(tenant_id=stc_id, author_id=user.id, last_editor_id=user.id, title="Bài chờ duyệt", slug="b")
        db.session.add(article)
        db.session.flush()
        transition(article, "submit", user)
        db.session.commit()
    reviewer = client_for("stc")
    reviewer.login(head)
    assert 'data-unread="1"' in reviewer.get("/admin/").get_data(as_text=True)
    assert "Bài chờ duyệt" in reviewer.get("/admin/notices/").get_data(as_text=True)


def test_retention_keeps_eight_weekly_and_twelve_monthly():
    start = datetime(2026, 12, 6, 2, 0)  # a Sunday
    stamps = [start - timedelta(days=7 * n) for n in range(60)] + [start - timedelta(days=1)]
    keep = to_keep(stamps, weekly=8, monthly=12)
    weeks = {s.isocalendar()[:2] for s in keep if s >= start - timedelta(days=7 * 8)}
    months = {(s.year, s.month) for s in keep}
    assert len(weeks) == 8 and len(months) == 12
    assert start - timedelta(days=1) not in keep or start not in keep  # one per week: the newest
    assert len(keep) < len(stamps)


def test_prune_removes_only_what_the_retention_drops(app, tmp_path):
    names = [f"portal-{(datetime(2026, 12, 6) - timedelta(days=7 * n)):%Y%m%d-%H%M%S}.tar.gz" for n in range(30)]
    for name in [*names, "portal-manual.tar.gz", "notes.txt"]:
        (tmp_path / name).write_text("x")
    with app.app_context():
        removed = prune(str(tmp_path))
    left = set(os.listdir(tmp_path))
    assert {"portal-manual.tar.gz", "notes.txt"} <= left and removed
    assert len(left) == 2 + len(names) - len(removed) and len(left) - 2 >= 8


def test_weekly_backup_is_verified_and_turns_the_indicator_green(app, client_for, make_user):
    province = client_for("portal")
    province.login(make_user("province_admin", "portal"))
    assert 'data-ok="no"' in province.get("/admin/").get_data(as_text=True)
    with app.app_context():
        detail = run_job("weekly_backup", weekly_backup, slot="2026-01-04T19:00")
    assert "verified" in detail
    page = province.get("/admin/").get_data(as_text=True)
    assert 'id="last-good-backup"' in page and 'data-ok="yes"' in page
    with app.app_context():  # eight days later the same backup is too old
        run = jobs.last_success("weekly_backup")
        run.finished_at = utcnow() - timedelta(days=8)
        db.session.commit()
    assert 'data-ok="no"' in province.get("/admin/").get_data(as_text=True)
    tenant_admin = client_for("stc")
    tenant_admin.login(make_user("tenant_admin", "stc"))
    assert 'id="last-good-backup"' not in tenant_admin.get("/admin/").get_data(as_text=True)
