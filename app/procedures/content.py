"""The administrative procedure, declared once: its fields and where it lives.

Cleaning on every write path (the back office, the API, the CSV/XLSX import and the demo), media usage of
the dossier's form templates, the revision copy, the sitemap, the back-office form and the API input are
derived from this.
"""

from flask_babel import lazy_gettext as _l

from app.core.fields import Field, Kind
from app.procedures.models import LEVELS, ONLINE_LEVELS, PROCEDURE_TYPES, Procedure, component_form_ids
from app.procedures.operations import check
from app.procedures.schemas import ProcedureSchema
from app.workflow.registry import ContentType, register


def search_document(proc):
    """``(title, summary, text, language)``: results show the national code before the name."""
    title = f"{proc.code} · {proc.name}"
    summary = " · ".join(x for x in (proc.field, proc.implementing_agency) if x)
    text = " ".join([title, summary, proc.competent_agency or "", proc.applicants or "", proc.result or ""])
    return title, summary, text, "vi"


def sample(tenant, author):
    """A new, valid, unsaved procedure of ``tenant`` (tests and ``demo load --scale``)."""
    return Procedure(
        code=f"9.{author.id:06d}",
        name="Thủ tục mẫu",
        level="province",
        procedure_type=PROCEDURE_TYPES[0],
        field="Tài chính ngân sách",
        implementing_agency=tenant.name_vi,
        steps=["Bước 1: Nộp hồ sơ", "Bước 2: Nhận kết quả"],
        online_level="full",
        online_url="https://dichvucong.binhphuoc.gov.vn",
    )


PROCEDURE = register(
    ContentType(
        name="procedure",
        model=Procedure,
        label=_l("Administrative procedure"),
        endpoint="procedures.detail",
        url_args=lambda proc: {"code": proc.code},
        admin_endpoint="procedures_admin",
        schema=ProcedureSchema,
        search=search_document,
        sample=sample,
        check=check,
        fields=(
            Field("code", Kind.TEXT, _l("Code"), required=True, max_length=40),
            Field("name", Kind.TEXT, _l("Name"), required=True, max_length=500),
            Field("level", Kind.CHOICE, _l("Level"), choices=tuple(LEVELS.items())),
            Field("procedure_type", Kind.TEXT, _l("Procedure type"), max_length=100),
            Field("field", Kind.TEXT, _l("Field"), max_length=200),
            Field("implementing_agency", Kind.TEXT, _l("Implementing agency"), max_length=300),
            Field("competent_agency", Kind.TEXT, _l("Competent agency"), max_length=300),
            # The ordered children: parsed by the API, the back office and the import.
            Field("steps", Kind.DATA, _l("Steps")),
            Field("channels", Kind.DATA, _l("Submission channels, processing time and fees")),
            Field("components", Kind.DATA, _l("Dossier"), media_in=component_form_ids, media_kinds=("document",)),
            Field("applicants", Kind.TEXT, _l("Eligible applicants")),
            Field("requirements", Kind.TEXT, _l("Requirements and conditions")),
            Field("legal_basis", Kind.TEXT, _l("Legal basis")),
            Field("result", Kind.TEXT, _l("Result")),
            Field("online_level", Kind.CHOICE, _l("Online public service"), choices=tuple(ONLINE_LEVELS.items())),
            Field("online_url", Kind.URL, _l("Online service address"), max_length=500),
            Field("decision_number", Kind.TEXT, _l("Announced by decision"), max_length=100),
            Field("announced_on", Kind.DATE, _l("Announced on")),
        ),
    )
)
