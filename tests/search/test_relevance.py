"""Relevance on the demo data: each fixed query finds its named item among the first three (issue 13)."""

from app.demo import load_demo
from tests.search.relevance import CASES


def _top(client, query, count=3):
    body = client.get(f"/api/v1/search?q={query}&per_page={count}").get_json()
    return [(item["site"], item["type"], item["title"]) for item in body["items"]]


def test_each_fixed_query_finds_its_item_in_the_top_three(app, client_for):
    """R-24: the title outweighs the body, the searching site and a site the query names come first, accents and
    đ are folded, the last word is a prefix, English is searched in English; on the demo data of every site."""
    with app.app_context():
        list(load_demo())
    missed = []
    for site, query, (code, kind, title) in CASES:
        top = _top(client_for(site), query)
        if not any((code == "*" or s == code) and t == kind and name.startswith(title) for s, t, name in top):
            missed.append(f"{query!r} on {site}: wanted {title!r} ({code}, {kind}), got {top}")
    assert len(CASES) >= 20
    assert not missed, "\n".join(missed)
