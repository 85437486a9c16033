"""R-21, R-08 l: dataset pages (table, SVG chart, downloads), the portal's resolution of ctk datasets, the API."""

import csv
import io

from openpyxl import load_workbook

from app.statistics.chart import render_svg
from app.workflow.models import ReviewState
from tests.statistics.conftest import OBSERVATIONS


def test_the_portal_shows_a_ctk_dataset_with_table_and_chart(client_for, make_dataset):
    """R-21, R-03: the portal's /statistics/<slug> serves the Statistics Office's dataset: table and SVG chart."""
    make_dataset(methodology="<p>Điều tra biến động dân số</p>", units="người")
    page = client_for("portal").get("/statistics/dan-so")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<table" in html and '<th scope="col">' in html and "112.500" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "<desc" in html and "Biểu đồ đường" in html
    assert 'rel="canonical" href="http://ctk.localhost/statistics/dan-so"' in html
    assert "Điều tra biến động dân số" in html


def test_a_dataset_in_draft_or_of_another_subsite_is_not_served(client_for, make_dataset):
    """R-09, R-01: drafts are 404; a subsite does not serve another subsite's dataset under its own host."""
    make_dataset(slug="nhap", state=ReviewState.DRAFT)
    make_dataset(code="dongxoai", slug="dx-rieng")
    assert client_for("portal").get("/statistics/nhap").status_code == 404
    assert client_for("ctk").get("/statistics/nhap.csv").status_code == 404
    assert client_for("stc").get("/statistics/dx-rieng").status_code == 404
    assert client_for("dongxoai").get("/statistics/dx-rieng").status_code == 200
    listing = client_for("portal").get("/statistics/").get_data(as_text=True)
    assert 'href="http://dongxoai.localhost/statistics/dx-rieng"' in listing
    assert "nhap" not in listing


def test_downloads_carry_the_same_figures(client_for, make_dataset):
    """R-21: CSV and XLSX downloads hold exactly the published observations."""
    make_dataset()
    body = client_for("portal").get("/statistics/dan-so.csv")
    assert body.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(body.get_data(as_text=True).lstrip("\ufeff"))))
    got = {(r["indicator"], r["area"], r["period"]): float(r["value"]) for r in rows}
    assert got == {(o["indicator"], o["area"], o["period"]): float(o["value"]) for o in OBSERVATIONS}
    book = load_workbook(io.BytesIO(client_for("ctk").get("/statistics/dan-so.xlsx").data))
    values = sorted(r[3] for r in book["Data"].iter_rows(min_row=2, values_only=True))
    assert values == sorted(o["value"] for o in OBSERVATIONS)


def test_api_list_and_filters(client_for, make_dataset):
    """R-21: GET /api/v1/datasets and /datasets/<slug> filtered by indicator, area and period."""
    make_dataset()
    make_dataset(slug="nhap", state=ReviewState.DRAFT)
    listing = client_for("portal").get("/api/v1/datasets").get_json()
    assert listing["total"] == 1 and set(listing) == {"items", "page", "per_page", "total"}
    item = listing["items"][0]
    assert item["url"] == "http://ctk.localhost/statistics/dan-so" and item["state"] == "published"
    api = client_for("portal")
    detail = api.get("/api/v1/datasets/dan-so").get_json()
    assert len(detail["observations"]) == 5 and detail["periods"] == ["2023", "2024"]
    only = api.get("/api/v1/datasets/dan-so?indicator=Dân số&area=Bù Đăng&period=2024").get_json()["observations"]
    assert only == [{"indicator": "Dân số", "area": "Bù Đăng", "period": "2024", "value": 141900, "unit": "người",
                     "note": "estimated"}]  # fmt: skip
    two = api.get("/api/v1/datasets/dan-so?period=2024&area=Đồng Xoài|Bù Đăng").get_json()["observations"]
    assert len(two) == 3
    assert api.get("/api/v1/datasets/dan-so?area=Hà Nội").get_json()["observations"] == []
    missing = api.get("/api/v1/datasets/nhap")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    assert client_for("stc").get("/api/v1/datasets").get_json()["total"] == 1  # ctk's datasets are reusable


def test_chart_kinds_and_text_alternative():
    """R-21: several periods draw a line; one period draws bars across areas; both have title and desc."""
    line, text = render_svg(OBSERVATIONS)
    assert "<polyline" in line and "<title" in line and "<desc" in line and "2023" in text
    bars, text = render_svg([o for o in OBSERVATIONS if o["period"] == "2023"])
    assert "<rect" in bars and "Biểu đồ cột" in text and "<polyline" not in bars
    assert render_svg([]) == (None, "")
