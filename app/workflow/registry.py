"""Content types known to the review engine."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ContentType:
    """How the engine, the inbox and the API reach one kind of reviewable content.

    :param name: registry name, also the key in ``tenant.yaml`` review chains (``article``).
    :param collection: API collection (``articles``): ``/api/v1/<collection>/<id>/transitions``.
    :param model: the SQLAlchemy model (mixes in ``Reviewable``).
    :param label: a lazy-translated human name.
    :param public_url: ``fn(item) -> absolute URL`` of the public page, or None.
    :param edit_url: ``fn(item) -> back-office URL`` where staff edit the item, or None.
    :param deadline_days: default working days allowed per review step (R-12).
    :param propose: ``fn(item, portal, actor) -> copy`` to propose to the portal (R-10), or None.
    :param dump: ``fn(item) -> dict`` for the API, or None.
    """

    name: str
    collection: str
    model: Any
    label: Any
    public_url: Any = None
    edit_url: Any = None
    deadline_days: int = 2
    propose: Any = None
    dump: Any = None
    extra: dict = field(default_factory=dict)


_REGISTRY: dict[str, ContentType] = {}


def register(content_type):
    _REGISTRY[content_type.name] = content_type
    return content_type


def get(name):
    return _REGISTRY[name]


def by_collection(collection):
    return next((ct for ct in _REGISTRY.values() if ct.collection == collection), None)


def for_item(item):
    return _REGISTRY[item.content_type]


def all_types():
    return list(_REGISTRY.values())
