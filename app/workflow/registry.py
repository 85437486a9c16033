"""Content types, each declared once: the review engine, the back office, the API, search, the sitemap,
the media library and the tests all read the same declaration.

A module declares its types in ``<module>/content.py``::

    register(ContentType(
        name="article", model=Article, label=_l("News article"),
        endpoint="news.article", admin_endpoint="news_articles", schema=ArticleSchema,
        fields=(Field("title", Kind.TEXT, _l("Title"), search="title", required=True), ...),
    ))

and calls nothing else: revision copies, cleaning on every write, media usage, search documents,
sitemap entries and the API input schema come from ``fields``.
"""

from dataclasses import dataclass, field
from typing import Any

from app.core.fields import Field, Kind, declare


@dataclass(frozen=True)
class ContentType:
    """How the engine, the inbox, the API, search and the back office reach one kind of content.

    :param name: registry name, also the key in ``tenant.yaml`` review chains (``article``).
    :param model: the SQLAlchemy model (mixes in ``Reviewable``).
    :param label: a lazy-translated human name.
    :param collection: API collection: ``/api/v1/<collection>/<id>/transitions`` (default: the name with an
        ``s``, ``articles``).
    :param fields: the declared :class:`~app.core.fields.Field` s, in form order.
    :param endpoint: the public page's endpoint (``news.article``), or None when items have no page.
    :param url_args: ``fn(item) -> dict`` of the endpoint's arguments (default ``{"slug": item.slug}`` when the
        model has a ``slug``, else ``{"item_id": item.id}``).
    :param admin_endpoint: the back-office view's endpoint (``news_articles``), or None.
    :param schema: the base of the API output schema (a subclass of ``app.workflow.schemas.ItemSchema`` for what
        is special); ``register`` replaces it with the full schema: the base plus every declared field.
    :param deadline_days: default working days allowed per review step (R-12).
    :param propose: ``fn(item, portal, actor) -> copy`` to propose to the portal (R-10), or None;
        :func:`copy_for_portal` is the usual one.
    :param search: ``fn(item) -> (title, summary, text, language)`` overriding the derived document.
    :param sitemap: list visible items in ``/sitemap.xml``.
    :param public_url: ``fn(item) -> absolute URL``; derived from ``endpoint`` and ``url_args`` when not given.
    :param edit_url: ``fn(item) -> back-office URL``; derived from ``admin_endpoint`` when not given.
    :param dump: ``fn(item) -> dict`` for the API; derived from ``schema`` when not given.
    :param slug_from: the field a unique per-tenant ``slug`` is made from for live items (``title``), or None.
    :param sample: ``fn(tenant, author) -> item``: a new, valid, unsaved item (the seeding hook that tests and
        ``demo load --scale`` use to make items of any type without knowing its fields); its ``tenant_id``,
        ``author_id`` and ``last_editor_id`` are filled in when ``fn`` leaves them empty.
    :param check: ``fn(item)`` raising ``DomainError`` (with ``fields``) when the item cannot be saved as it is:
        the rules beyond the field kinds (a category of the site, dates in order); run by the back office and
        the API on every save.
    :param extra: anything a module needs to hang on its type (``participation`` counters).
    """

    name: str
    model: Any
    label: Any
    collection: str | None = None
    fields: tuple = ()
    endpoint: str | None = None
    url_args: Any = None
    admin_endpoint: str | None = None
    schema: Any = None
    deadline_days: int = 2
    propose: Any = None
    search: Any = None
    sitemap: bool = True
    public_url: Any = None
    edit_url: Any = None
    dump: Any = None
    slug_from: str | None = None
    sample: Any = None
    check: Any = None
    extra: dict = field(default_factory=dict)

    @property
    def revision_fields(self):
        return tuple(f.name for f in self.fields if f.revision)

    def field(self, name):
        return next((f for f in self.fields if f.name == name), None)

    def fields_of(self, *kinds):
        return tuple(f for f in self.fields if f.kind in kinds)

    def __post_init__(self):
        # Derived from the declaration unless the type gives its own.
        if self.collection is None:
            object.__setattr__(self, "collection", f"{self.name}s")
        if self.url_args is None:
            object.__setattr__(self, "url_args", _by_slug if hasattr(self.model, "slug") else _by_id)
        if self.public_url is None and self.endpoint is not None:
            object.__setattr__(self, "public_url", self._endpoint_url)
        if self.edit_url is None and self.admin_endpoint is not None:
            object.__setattr__(self, "edit_url", self._edit_url)
        if self.dump is None and self.schema is not None:
            object.__setattr__(self, "dump", self._dump)
        if self.search is None and "search" in self.extra:
            object.__setattr__(self, "search", self.extra["search"])
        if self.sample is not None:
            object.__setattr__(self, "sample", _owned(self.sample))

    def _endpoint_url(self, item):
        from app.core.tenancy import tenant_url

        return tenant_url(item.tenant, self.endpoint, **self.url_args(item))

    def _edit_url(self, item):
        from flask import url_for

        return url_for(f"{self.admin_endpoint}.edit_view", id=item.id)

    def _dump(self, item):
        return self.schema().dump(item)


def _by_slug(item):
    return {"slug": item.slug}


def _by_id(item):
    return {"item_id": item.id}


def _owned(make):
    """``make(tenant, author)``, with the item's tenant, author and last editor set where ``make`` leaves them."""

    def sample(tenant, author):
        item = make(tenant, author)
        for name, value in (("tenant_id", tenant.id), ("author_id", author.id), ("last_editor_id", author.id)):
            if getattr(item, name, None) is None:
                setattr(item, name, value)
        return item

    return sample


_REGISTRY: dict[str, ContentType] = {}


def register(content_type):
    """Declare ``content_type``; its model learns its ``revision_fields`` and ``declaration``."""
    from app.workflow.schemas import schema_for

    if content_type.schema is not None or content_type.fields:
        object.__setattr__(content_type, "schema", schema_for(content_type, content_type.schema))
        if content_type.dump is None or getattr(content_type.dump, "__self__", None) is content_type:
            object.__setattr__(content_type, "dump", content_type._dump)
    _REGISTRY[content_type.name] = content_type
    content_type.model.revision_fields = content_type.revision_fields
    content_type.model.declaration = content_type
    declare(content_type.model, content_type.fields, content_type.label, content_type.edit_url, content_type.check)
    return content_type


def _assign_slugs(session, flush_context, instances):
    """Give every new or changed live item of a type with ``slug_from`` a unique slug; revision copies keep none."""
    taken = set()
    for obj in list(session.new) + list(session.dirty):
        ct = _REGISTRY.get(getattr(obj, "content_type", None) or "")
        if ct is None or ct.slug_from is None or not isinstance(obj, ct.model):
            continue
        source = getattr(obj, ct.slug_from, None)
        if obj.slug or obj.revision_of_id is not None or not source or obj.tenant_id is None:
            continue
        with session.no_autoflush:
            obj.slug = unique_slug(session, ct.model, obj.tenant_id, source, taken, exclude_id=obj.id)
        taken.add((ct.model, obj.tenant_id, obj.slug))


def unique_slug(session, model, tenant_id, title, taken=(), exclude_id=None, max_length=120):
    """``slugify(title)``, with ``-2``, ``-3``... appended when the tenant already has it."""
    from app.core.scoping import scoped
    from app.core.text import slugify

    base = slugify(title, max_length=max_length)
    stmt = scoped(model, tenant_id, model.slug).where(model.slug.like(base + "%"))
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    existing = set(session.execute(stmt).scalars())
    existing |= {slug for m, tid, slug in taken if m is model and tid == tenant_id}
    slug, n = base, 1
    while slug in existing:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _install():
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    if not event.contains(Session, "before_flush", _assign_slugs):
        event.listen(Session, "before_flush", _assign_slugs)


_install()


def get(name):
    return _REGISTRY[name]


def by_collection(collection):
    return next((ct for ct in _REGISTRY.values() if ct.collection == collection), None)


def for_item(item):
    return _REGISTRY[item.content_type]


def for_model(model):
    return next((ct for ct in _REGISTRY.values() if ct.model is model), None)


def all_types():
    return list(_REGISTRY.values())


def hostile_targets():
    """``[(content type, field)]`` for every rich-text and URL field: what tests attack with hostile input."""
    return [(ct, f) for ct in all_types() for f in ct.fields if f.kind in (Kind.RICH_TEXT, Kind.URL)]


__all__ = ["ContentType", "Field", "Kind", "register", "get", "by_collection", "for_item", "for_model", "all_types"]
