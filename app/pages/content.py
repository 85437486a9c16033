"""The standing page, declared once: its fields and where it lives; everything else is derived from this."""

from flask_babel import lazy_gettext as _l

from app.core.fields import SLUG, Field, Kind, attachments, english, titled
from app.pages.models import SECTION_KEYS, Page
from app.pages.operations import check
from app.workflow.registry import ContentType, register
from app.workflow.schemas import ItemSchema

TITLE, BODY = titled(summary=False, labels={"body": _l("Content")})


def sample(tenant, author):
    """A new, valid, unsaved page of ``tenant`` (tests and ``demo load --scale``)."""
    return Page(
        title="Trang mẫu",
        slug=f"trang-mau-{author.id}",
        section="other",
        body="<p>Nội dung trang mẫu.</p>",
    )


class PageSchema(ItemSchema):
    """A page as the API shows it: every declared field; ``url`` is null while the page has no address."""

    def get_url(self, page):
        return super().get_url(page) if page.slug or page.revision_of_id else None


PAGE = register(
    ContentType(
        name="page",
        model=Page,
        label=_l("Standing page"),
        endpoint="pages.page",
        admin_endpoint="pages_admin",
        schema=PageSchema,
        deadline_days=3,
        sample=sample,
        check=check,
        fields=(
            TITLE,
            *english((TITLE,)),
            SLUG,  # checked in the back office
            Field("section", Kind.CHOICE, _l("Section"), choices=tuple(SECTION_KEYS.items())),
            Field("sort_order", Kind.NUMBER, _l("Order")),
            Field("show_in_nav", Kind.FLAG, _l("Show in navigation")),
            BODY,
            *english((BODY,), labels={"body": _l("Content (English)")}),
            attachments(_l("Documents and maps (files)"), media_kinds=("document", "image")),
        ),
    )
)
