"""A backup after a reorganisation restores it row for row: states, successors, former hosts and names, redirects."""

from app.extensions import db
from app.restructure import operations as ops
from app.restructure.redirects import save_redirect
from app.restructure.scenario import COMMUNE_LIST
from tests.backup.conftest import assert_same_rows, snapshot
from tests.restructure.conftest import get_tenant


def test_backup_round_trip_keeps_the_reorganisation(app, runner, tmp_path, client_for):
    with app.app_context():
        _lines, by_unit = ops.create_communes(ops.read_commune_list(COMMUNE_LIST))
        ops.retire(get_tenant("dongxoai"), successor=by_unit["25210"])
        ops.rename(get_tenant("stc"), code="sotaichinh", names={"vi": "Sở Tài chính tỉnh Đồng Nai"})
        save_redirect(get_tenant("sotaichinh"), "/cu", "/news/")
        db.session.commit()
    before = snapshot(app)
    for table in ("former_host", "tenant_identity", "redirect"):
        assert before[table], f"{table} is empty: the round trip would prove nothing for it"
    path = tmp_path / "after-restructure.tar.gz"
    assert runner.invoke(args=["backup", "create", str(path)]).exit_code == 0
    with app.app_context():
        ops.retire(get_tenant("sct"))
        db.session.commit()
    restored = runner.invoke(args=["backup", "restore", str(path)])
    assert restored.exit_code == 0, restored.output
    assert_same_rows(before, snapshot(app))
    assert client_for("stc").get("/").headers["Location"] == "http://sotaichinh.localhost/"
