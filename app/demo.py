"""Demo data for every tenant (``flask demo load``).

Modules add their own loaders to ``LOADERS``; each takes ``(scale)`` and yields report lines. The hand-made
loaders go through the review chain and stop at :data:`DETAILED_SCALE`; beyond it, ``--scale N`` adds volume
for benchmarks: :data:`ITEMS_PER_SCALE` ``* N`` reviewable items in all (200,000 at ``--scale 1000``), written
in bulk (SQLAlchemy Core inserts of lists of dicts) by the makers modules add with :func:`register_volume`.
"""

import logging
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.auth.models import User
from app.auth.operations import ensure_user, find_user
from app.core.models import Tenant
from app.core.tenant_sync import sync_tenants
from app.extensions import db

log = logging.getLogger(__name__)

DEMO_PASSWORD = "BinhPhuoc@2026"
PROVINCE_ADMIN = "admin@binhphuoc.gov.vn"
INSPECTOR = "thanhtra@stttt.binhphuoc.gov.vn"
TENANT_ROLES = ("tenant_admin", "head", "deputy_head", "editor", "contributor")


def demo_email(role, code):
    return f"{role.replace('_', '')}.{code}@demo.binhphuoc.gov.vn"


def demo_loaded():
    return find_user(PROVINCE_ADMIN) is not None


def load_users(scale=1):
    portal = db.session.execute(select(Tenant).where(Tenant.kind == "portal")).scalars().one()
    ensure_user(PROVINCE_ADMIN, portal, "province_admin", password=DEMO_PASSWORD, name="Văn phòng UBND tỉnh")
    ensure_user(INSPECTOR, portal, "inspector", password=DEMO_PASSWORD, name="Thanh tra Sở TT&TT")
    # One hash for every demo account: Argon2 is slow on purpose and they share a password.
    shared_hash = db.session.execute(select(User.password_hash).where(User.email == PROVINCE_ADMIN)).scalar_one()
    count = 2
    for tenant in db.session.execute(select(Tenant).order_by(Tenant.sort_order)).scalars():
        for role in TENANT_ROLES:
            ensure_user(
                demo_email(role, tenant.code), tenant, role, name=f"{role} {tenant.code}", password_hash=shared_hash
            )
            count += 1
    db.session.commit()
    yield f"users: {count} demo accounts (password {DEMO_PASSWORD})"


LOADERS = [load_users]


def register(loader):
    """Add a module's demo loader (``fn(scale)`` yielding report lines); idempotent."""
    if all(
        existing.__qualname__ != loader.__qualname__ or existing.__module__ != loader.__module__ for existing in LOADERS
    ):
        LOADERS.append(loader)


def load_demo(scale=1):
    started = time.perf_counter()
    created, updated, unchanged = sync_tenants(current_app.config["TENANTS_DIR"])
    yield f"tenants: {created} created, {updated} updated, {unchanged} unchanged"
    for loader in LOADERS:
        yield from loader(min(scale, DETAILED_SCALE))
    if scale > DETAILED_SCALE:
        yield from load_volume(scale)
    from app.search.indexing import reindex_all

    indexing = time.perf_counter()
    count = reindex_all()
    yield f"search: {count} items indexed in {time.perf_counter() - indexing:.0f} s"
    yield f"demo: done in {time.perf_counter() - started:.0f} s"


# --- Volume for benchmarks (``--scale`` beyond DETAILED_SCALE) ---------------------------------------------------

DETAILED_SCALE = 2
ITEMS_PER_SCALE = 200
VOLUME_BATCH = 2000
YEARS = 10
ENGLISH_SHARE = 0.05
# Most items are public; a few are in the other states a site holds.
STATES = (("published", 0.93), ("unpublished", 0.02), ("archived", 0.01), ("draft", 0.02), ("in_review", 0.02))


@dataclass(frozen=True)
class Volume:
    """How a module makes bulk rows of one reviewable type.

    :param model: the model whose table the rows go to.
    :param share: its part of the volume (relative to the other makers).
    :param make: ``fn(tenant, number, text) -> dict`` of the type's own columns; ``text`` is a :class:`TextMaker`.
    """

    model: object
    share: float
    make: object


VOLUMES = []
CORPUS = {"vi": [], "en": [], "titles": [], "titles_en": []}


def register_volume(volume, sentences=(), titles=(), sentences_en=(), titles_en=()):
    """Add a bulk maker and the module's demo text to the shared corpus (idempotent per model)."""
    if all(v.model is not volume.model for v in VOLUMES):
        VOLUMES.append(volume)
    register_corpus(sentences, titles, sentences_en, titles_en)


def register_corpus(sentences=(), titles=(), sentences_en=(), titles_en=()):
    """Add a module's demo text to the corpus the bulk items are written from."""
    for key, values in (("vi", sentences), ("en", sentences_en), ("titles", titles), ("titles_en", titles_en)):
        CORPUS[key].extend(v for v in values if v and v not in CORPUS[key])


class TextMaker:
    """Realistic text from the demo corpus: titles made of demo titles and places, bodies of 1-5 KB."""

    def __init__(self, rng, places):
        self.rng = rng
        self.places = places

    def title(self, english=False):
        base = self.rng.choice(CORPUS["titles_en" if english else "titles"] or ["Thông báo"])
        if english:
            return base
        if self.rng.random() < 0.5:
            return f"{base} tại {self.rng.choice(self.places)}"
        return f"{base} năm {self.rng.randint(2016, 2026)}"

    def sentences(self, low=1000, high=5000, english=False):
        """Sentences whose text is from ``low`` to ``high`` bytes long (UTF-8)."""
        pool = CORPUS["en" if english else "vi"] or ["Nội dung đang được cập nhật."]
        target, size, found = self.rng.randint(low, high), 0, []
        while size < target:
            sentence = self.rng.choice(pool)
            if not english and self.rng.random() < 0.2:
                sentence = f"{sentence[:-1]} tại {self.rng.choice(self.places)}."
            found.append(sentence)
            size += len(sentence.encode("utf-8")) + 1
        return found

    def html(self, sentences):
        per = self.rng.randint(2, 4)
        return "".join(f"<p>{' '.join(sentences[i : i + per])}</p>" for i in range(0, len(sentences), per))


def _state(rng):
    pick, total = rng.random(), 0.0
    for state, share in STATES:
        total += share
        if pick < total:
            return state
    return "published"


def load_volume(scale):
    """Bulk reviewable items up to ``ITEMS_PER_SCALE * scale`` in all, spread over every tenant and ten years."""
    from sqlalchemy import func, insert

    from app.core.text import slugify
    from app.core.timeutil import utcnow

    rng = random.Random(scale)
    tenants = db.session.execute(select(Tenant).order_by(Tenant.sort_order, Tenant.id)).scalars().all()
    existing = sum(db.session.execute(select(func.count()).select_from(v.model.__table__)).scalar() for v in VOLUMES)
    wanted = ITEMS_PER_SCALE * scale - existing
    if wanted <= 0 or not VOLUMES or not tenants:
        yield f"volume: nothing to add ({existing} items already)"
        return
    places = [t.name_vi for t in tenants if t.kind != "portal"] + ["Đồng Xoài", "Chơn Thành", "Lộc Ninh", "Bù Đăng"]
    text = TextMaker(rng, places)
    authors = {t.id: find_user(demo_email("contributor", t.code)) for t in tenants}
    now = utcnow()
    started = time.perf_counter()
    shares = sum(v.share for v in VOLUMES)
    made = {}
    connection = db.session.connection()
    for volume in VOLUMES:
        table = volume.model.__table__
        count = round(wanted * volume.share / shares)
        batch = []
        for number in range(count):
            tenant = tenants[number % len(tenants)]
            author = authors.get(tenant.id)
            state = _state(rng)
            published = now - timedelta(days=rng.uniform(0, 365 * YEARS))
            row = volume.make(tenant, number, text)
            row.update(
                tenant_id=tenant.id,
                state=state,
                published_at=published if state in ("published", "unpublished", "archived") else None,
                created_at=published,
                updated_at=published,
                author_id=author.id if author else None,
                last_editor_id=author.id if author else None,
            )
            if "slug" in table.c:
                row["slug"] = f"{slugify(row.get('title') or 'muc', max_length=80)}-v{number}"
            batch.append(row)
            if len(batch) >= VOLUME_BATCH:
                connection.execute(insert(table), batch)
                batch = []
        if batch:
            connection.execute(insert(table), batch)
        db.session.commit()
        connection = db.session.connection()
        made[volume.model.__tablename__] = count
    listed = ", ".join(f"{n} {name}" for name, n in made.items())
    yield (
        f"volume: {sum(made.values())} reviewable items ({listed}) over {len(tenants)} sites and {YEARS} years, "
        f"about {ENGLISH_SHARE:.0%} in English, in {time.perf_counter() - started:.0f} s"
    )


@contextmanager
def quiet_mail():
    """Demo transitions would e-mail every reviewer: send nothing while the demo data is made."""
    from app.workflow import notifications

    app = current_app
    old = app.config.get("MAIL_SERVER"), notifications.to_reviewers, notifications.to_author
    app.config["MAIL_SERVER"] = None
    notifications.to_reviewers = notifications.to_author = lambda *args, **kwargs: None
    try:
        yield
    finally:
        app.config["MAIL_SERVER"], notifications.to_reviewers, notifications.to_author = old


def demo_users(code, roles=("contributor", "editor", "head")):
    """The demo accounts of a tenant by role (None where missing)."""
    return {role: find_user(demo_email(role, code)) for role in roles}


def act(item, action, user, comment=""):
    """Apply a review action for the demo; a refusal is logged, not raised."""
    from app.workflow.operations import WorkflowError, transition

    try:
        transition(item, action, user, comment)
    except WorkflowError as exc:
        log.warning("demo: %s on %s refused: %s", action, item.display_title(), exc.message)


def approve(item, tenant, users, comment="Đồng ý đăng."):
    """Approve ``item`` (in review) at every step of the tenant's chain."""
    from app.workflow.operations import chain_for

    for role in chain_for(tenant, item.content_type):
        act(item, "approve", users.get(role) or users["head"], comment)


def published(model, tenant, published_at=None, **values):
    """A new demo item of ``tenant`` that is public from ``published_at`` (now) without passing the review chain."""
    from app.core.timeutil import utcnow
    from app.workflow.models import ReviewState

    return model(
        tenant_id=tenant.id,
        state=ReviewState.PUBLISHED,
        published_at=utcnow() if published_at is None else published_at,
        **values,
    )


def publish(item, tenant, users, comment="Đồng ý đăng."):
    """Submit ``item`` as the contributor and approve it at every step of the tenant's chain."""
    act(item, "submit", users["contributor"])
    approve(item, tenant, users, comment)
