"""Public pages are valid HTML5 (W3C Nu validator) and pass axe-core's WCAG 2.1 AA rules (R-33)."""

import json
import os
import subprocess

import pytest

from app.core.navigation import SECTIONS

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
CHECKERS = os.path.join(ROOT, "tools", "checkers", "node_modules")
VNU = os.path.join(CHECKERS, "vnu-jar", "build", "dist", "vnu.jar")
AXE = os.path.join(CHECKERS, "axe-core", "axe.min.js")

EXTRA_PATHS = ["/", "/login", "/search?q=ngân+sách", "/links/", "/contact", "/press/", "/khong-co-trang-nay"]
PAGES = [(code, path) for code in ("portal", "stc") for path in EXTRA_PATHS + [s.path for s in SECTIONS]]


@pytest.fixture(scope="module")
def checkers():
    missing = [p for p in (VNU, AXE) if not os.path.exists(p)]
    assert not missing, f"run `make checkers` first (missing {missing})"


def test_pages_are_valid_html5(checkers, client_for, tmp_path):
    """R-33: every public page of the portal and a subsite passes the Nu HTML checker."""
    files = []
    for i, (code, path) in enumerate(PAGES):
        for lang in ("vi", "en"):
            html = client_for(code).get(path + ("&" if "?" in path else "?") + f"lang={lang}").get_data()
            target = tmp_path / f"{i:03d}-{code}-{lang}.html"
            target.write_bytes(html)
            files.append(str(target))
    result = subprocess.run(
        ["java", "-jar", VNU, "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"
    ]
    assert errors == [], "\n".join(errors[:40])


@pytest.mark.parametrize(("code", "path"), PAGES)
def test_pages_pass_axe(checkers, live_server, page, code, path):
    """R-33: WCAG 2.1 A/AA rules of axe-core report no violation."""
    page.goto(live_server.url(code, path))
    page.add_script_tag(path=AXE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]
    assert violations == [], "\n".join(violations)
