"""The worked examples of docs/api.md run as they are written (issue 12, "Done when").

Each ``### `` section of "Ví dụ tích hợp" is one integration; its ```http blocks are requests sent in order:
``METHOD PATH``, headers (``Host`` names the site; ``${ROLE_CODE}`` is a token of that role on that site), a blank
line and a JSON body. ``# expect N`` is the status; ``# save a.0.b as name`` keeps a value of the JSON answer
(``# save header H as name`` a header) for ``{name}`` in later steps; ``# check a.b is v`` compares one.
"""

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth.operations import find_user, issue_token
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.modules import import_declarations
from app.procedures.content import PROCEDURE
from app.workflow.models import ReviewState

DOC = Path(__file__).resolve().parents[2] / "docs/api.md"
HEADING = "## Ví dụ tích hợp"

import_declarations()


def sections():
    text = DOC.read_text(encoding="utf-8")
    assert HEADING in text, "docs/api.md has no worked examples"
    part = text.split(HEADING, 1)[1].split("\n## ", 1)[0]
    found = []
    for chunk in re.split(r"\n### ", part)[1:]:
        title = chunk.splitlines()[0].strip()
        blocks = re.findall(r"```http\n(.*?)```", chunk, re.S)
        found.append(pytest.param(blocks, id=title[:40]))
    return found


def parse(block):
    lines = block.rstrip("\n").split("\n")
    method, path = lines[0].split(" ", 1)
    headers, body, directives, i = {}, [], [], 1
    while i < len(lines) and lines[i].strip() and not lines[i].startswith("#"):
        name, value = lines[i].split(":", 1)
        headers[name.strip()] = value.strip()
        i += 1
    for line in lines[i:]:
        (directives if line.startswith("# ") else body).append(line[2:] if line.startswith("# ") else line)
    return method, path, headers, "\n".join(body).strip(), directives


def dig(value, dotted):
    for part in dotted.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


@pytest.fixture
def published_procedure(app, make_user):
    """A published procedure of stc: what an integrator pulls."""
    author = make_user("editor", "stc", "author.stc@test.vn")
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        procedure = PROCEDURE.sample(stc, find_user(author))
        procedure.tenant_id, procedure.state, procedure.published_at = stc.id, ReviewState.PUBLISHED, utcnow()
        db.session.add(procedure)
        db.session.commit()


@pytest.mark.parametrize("blocks", sections())
def test_the_documented_steps_answer_as_documented(blocks, app, client_for, make_user, published_procedure):
    assert blocks, "an example without requests"
    saved, tokens = {}, {}

    def token(match):
        role, code = match.group(1).lower().rsplit("_", 1)
        if match.group(1) not in tokens:
            with app.app_context():
                tokens[match.group(1)] = issue_token(find_user(make_user(role, code)))
                db.session.commit()
        return tokens[match.group(1)]

    for block in blocks:
        method, path, headers, body, directives = parse(block)
        fill = lambda text: re.sub(r"(?<!\$)\{(\w+)\}", lambda m: str(saved[m.group(1)]), text)  # noqa: E731
        headers = {k: re.sub(r"\$\{(\w+)\}", token, fill(v)) for k, v in headers.items()}
        site = headers.pop("Host").split(".")[0]
        data = json.loads(fill(body)) if body else None
        response = client_for(site).open(fill(path), method=method, json=data, headers=headers)
        answer = response.get_json(silent=True)
        for directive in directives:
            words = directive.split()
            if words[0] == "expect":
                assert response.status_code == int(words[1]), (method, path, response.status_code, answer)
            elif words[:2] == ["save", "header"]:
                saved[words[4]] = response.headers[words[2]]
            elif words[0] == "save":
                saved[words[3]] = dig(answer, words[1])
            elif words[0] == "check":
                assert str(dig(answer, words[1])) == words[3], (method, path, answer)
