"""The documents that name tests (docs/security.md: each threat, its defence and the test that proves it)
name tests that exist: a renamed or deleted test cannot leave a threat claimed as covered."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ["docs/security.md"]


def named_tests(text):
    """``(file, test)`` for every ```tests/x.py::test_y``` in ``text``; a bare ```::test_z``` is in the last file."""
    last = None
    for token in re.findall(r"`([^`]*::test_\w+)`", text):
        token = re.sub(r"\s+", "", token)
        path, name = token.split("::", 1)
        last = path or last
        yield last, name


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_test_a_document_names_exists(document):
    text = (ROOT / document).read_text(encoding="utf-8")
    named = list(named_tests(text))
    assert len(named) > 50
    missing = []
    for path, name in named:
        file = ROOT / path
        if not file.is_file() or not re.search(rf"^\s*(async\s+)?def {name}\(", file.read_text(), re.M):
            missing.append(f"{path}::{name}")
    assert not missing, f"{document} names tests that do not exist: {missing}"
