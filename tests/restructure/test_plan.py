"""Communes in bulk from the official list, whole plans from the command line (previewed, idempotent)."""

import textwrap

from sqlalchemy import func, select

from app.core.models import AuditEvent, Tenant
from app.extensions import db
from app.restructure import operations as ops
from app.restructure.scenario import COMMUNE_LIST
from tests.restructure.conftest import get_tenant


def _count(app, *where):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Tenant).where(*where)).scalar()


def test_communes_from_the_official_list_once(app, client_for):
    rows = ops.read_commune_list(COMMUNE_LIST)
    assert len(rows) == 111 and len({r.new_commune_code for r in rows}) == 40
    with app.app_context():
        lines, by_unit = ops.create_communes(rows)
        db.session.commit()
        assert lines[0] == "communes: 40 created, 0 already there"
        talai_like = by_unit["25217"]
        # A commune named like a district site gets its kind first: the district's archive keeps its address.
        assert talai_like.code == "phuongphuoclong" and talai_like.kind == "commune"
        assert talai_like.name_vi == "UBND phường Phước Long" and talai_like.unit_code == "25217"
        again, _ = ops.create_communes(rows)
        db.session.commit()
        assert again == ["communes: 0 created, 40 already there"]
    assert _count(app, Tenant.kind == "commune") == 40
    assert client_for("phuongphuoclong").get("/").status_code == 200


def test_a_list_without_the_columns_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,name\n1,x\n", encoding="utf-8")
    try:
        ops.read_commune_list(str(path))
    except ops.RestructureError as exc:
        assert "missing columns" in exc.message
    else:
        raise AssertionError("a list without the columns was read")


def _plan(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            effective: 2025-07-01
            communes:
              file: {COMMUNE_LIST}
              retire_districts: true
            renames:
              - {{code: stc, new_code: sotaichinh}}
            merges:
              - {{from: sct, into: skhdt}}
            retire:
              - {{code: congbao, successor: vpubnd}}
            domain: {{from: binhphuoc.gov.vn, to: dongnai.gov.vn}}
            """
        ),
        encoding="utf-8",
    )
    return str(path)


def test_restructure_dry_run_changes_nothing(app, runner, tmp_path):
    audit_before = _count_audit(app)
    result = runner.invoke(args=["tenants", "restructure", _plan(tmp_path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "communes: 40 created" in result.output and "merge sct into skhdt" in result.output
    assert result.output.strip().endswith("dry run: nothing was changed")
    assert _count(app, Tenant.kind == "commune") == 0
    assert _count(app, Tenant.state != "active") == 0
    assert _count_audit(app) == audit_before


def _count_audit(app):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(AuditEvent)).scalar()


def test_restructure_runs_the_plan_once_and_is_idempotent(app, runner, tmp_path):
    plan = _plan(tmp_path)
    first = runner.invoke(args=["tenants", "restructure", plan])
    assert first.exit_code == 0, first.output
    assert _count(app, Tenant.kind == "commune") == 40
    assert _count(app, Tenant.kind == "district", Tenant.state == "archived") == 11
    with app.app_context():
        assert get_tenant("sotaichinh").former_codes == ["stc"]
        assert get_tenant("sct").state == "merged"
        congbao = get_tenant("congbao")
        assert congbao.state == "archived" and congbao.successor_id == get_tenant("vpubnd").id
        events = db.session.execute(select(AuditEvent.action).where(AuditEvent.action.like("tenant.%"))).scalars()
        assert {
            "tenant.rename",
            "tenant.merge",
            "tenant.retire",
            "tenant.change_domain",
            "tenant.create_commune",
        } <= set(events)
    second = runner.invoke(args=["tenants", "restructure", plan])
    assert second.exit_code == 0, second.output
    assert "created" not in second.output.replace("0 created", "")
    assert "already" in second.output and _count(app, Tenant.kind == "commune") == 40


def test_a_failing_plan_changes_nothing(app, runner, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("retire: [dongxoai]\nmerges:\n  - {from: sct, into: nowhere}\n", encoding="utf-8")
    result = runner.invoke(args=["tenants", "restructure", str(path)])
    assert result.exit_code != 0 and "No tenant with code 'nowhere'" in result.output
    assert _count(app, Tenant.state != "active") == 0


def test_an_unknown_key_is_refused(runner, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("delete_everything: true\n", encoding="utf-8")
    result = runner.invoke(args=["tenants", "restructure", str(path)])
    assert result.exit_code != 0 and "unknown keys delete_everything" in result.output
