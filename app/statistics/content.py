"""The statistical dataset, declared once: its fields and where it lives; everything else is derived from this."""

from flask_babel import lazy_gettext as _l

from app.core.fields import SLUG, Field, Kind, attachments, declare, english, titled
from app.core.text import plain_text
from app.statistics.models import DATE_PRECISIONS, RELEASE_STATUSES, Dataset, Release
from app.statistics.operations import check
from app.statistics.schemas import DatasetSchema
from app.workflow.registry import ContentType, register

TITLE, SUMMARY = titled(body=False)


def search_document(dataset):
    """``(title, summary, text, language)``: the declared text plus the indicators and areas of the figures,
    so that a search for "dân số Bù Đăng" finds the dataset that holds those figures."""
    parts = [
        dataset.title,
        dataset.title_en,
        dataset.summary,
        dataset.topic,
        dataset.source,
        dataset.period_covered,
        plain_text(dataset.methodology),
        plain_text(dataset.analysis),
        " ".join(dataset.dimension("indicator")),
        " ".join(dataset.dimension("area")),
    ]
    return dataset.title, plain_text(dataset.summary, limit=400), " ".join(p for p in parts if p)[:20000], "vi"


def sample(tenant, author):
    """A new, valid, unsaved dataset of ``tenant`` with two figures (tests and ``demo load --scale``)."""
    return Dataset(
        title="Bộ số liệu mẫu",
        summary="Tóm tắt bộ số liệu mẫu.",
        units="người",
        methodology="<p>Phương pháp thu thập mẫu.</p>",
        analysis="<p>Phân tích mẫu.</p>",
        observations=[
            {
                "indicator": "Dân số",
                "area": "Đồng Xoài",
                "period": "2024",
                "value": 112500,
                "unit": "người",
                "note": "",
            },
            {"indicator": "Dân số", "area": "Bù Đăng", "period": "2024", "value": 141900, "unit": "người", "note": ""},
        ],
    )


DATASET = register(
    ContentType(
        name="dataset",
        model=Dataset,
        label=_l("Statistical dataset"),
        endpoint="statistics.dataset",
        admin_endpoint="statistics_datasets",
        schema=DatasetSchema,
        slug_from="title",
        search=search_document,
        sample=sample,
        check=check,
        fields=(
            TITLE,
            *english((TITLE,)),
            SLUG,
            SUMMARY,
            Field("topic", Kind.TEXT, _l("Topic"), search="body", max_length=120),
            Field("units", Kind.TEXT, _l("Units"), max_length=120),
            Field("source", Kind.TEXT, _l("Source"), search="body", max_length=300),
            Field("period_covered", Kind.TEXT, _l("Period covered"), max_length=120),
            Field("release_date", Kind.DATE, _l("Release date")),
            Field("methodology", Kind.RICH_TEXT, _l("Methodology"), search="body"),
            Field("analysis", Kind.RICH_TEXT, _l("Analysis"), search="body"),
            attachments(_l("Full reports (files)"), media_kinds=("document", "image")),
            # Imported from CSV or Excel (app.statistics.operations), never typed into the form.
            Field("observations", Kind.DATA, _l("Figures"), form=False, api=False),
        ),
    )
)

# The release calendar is not reviewed: declared for its back-office form and its cleaning on every write.
RELEASE_FIELDS = declare(
    Release,
    (
        Field("title", Kind.TEXT, _l("Release"), required=True, max_length=300),
        Field("topic", Kind.TEXT, _l("Topic"), max_length=120),
        Field("planned_date", Kind.DATE, _l("Planned date"), required=True),
        Field("precision", Kind.CHOICE, _l("Date precision"), choices=tuple(DATE_PRECISIONS.items())),
        Field("status", Kind.CHOICE, _l("Status"), choices=tuple(RELEASE_STATUSES.items())),
        Field("cancel_reason", Kind.TEXT, _l("Reason for cancelling")),
        Field("dataset_slug", Kind.TEXT, _l("Address of the dataset it will publish"), max_length=200),
        Field("change_note", Kind.TEXT, _l("Note on this change")),
        # Every change of date or status with its note, kept by app.statistics.operations.note_change.
        Field("history", Kind.DATA, _l("History"), form=False, api=False),
    ),
    label=_l("Release calendar"),
)
