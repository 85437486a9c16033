"""Full-text search: SQLite FTS5 / PostgreSQL tsvector with GIN, one entry per item and language (issue 13)

The index is derived data: the table is made anew and filled by ``flask search reindex``.

Revision ID: e5a9c3d7f104
Revises: ded182da8fe3
Create Date: 2026-12-01 23:59:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "e5a9c3d7f104"
down_revision = "ded182da8fe3"
branch_labels = None
depends_on = None


def _drop_old():
    with op.batch_alter_table("search_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_entry_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_search_entry_published_at"))
        batch_op.drop_index(batch_op.f("ix_search_entry_content_type"))
    op.drop_table("search_entry")


def upgrade():
    from app.search import backends

    _drop_old()
    op.create_table(
        "search_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("group_key", sa.String(length=60), nullable=False),
        sa.Column("syndicated", sa.Boolean(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("publish_at", sa.DateTime(), nullable=True),
        sa.Column("expire_at", sa.DateTime(), nullable=True),
        sa.Column("indexed_at", sa.DateTime(), nullable=False),
        sa.Column("document", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_search_entry_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entry")),
        sa.UniqueConstraint("content_type", "object_id", "language", name="uq_search_entry_item"),
    )
    with op.batch_alter_table("search_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_entry_content_type"), ["content_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entry_group_key"), ["group_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entry_published_at"), ["published_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entry_publish_at"), ["publish_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entry_expire_at"), ["expire_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entry_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index("ix_search_entry_document", ["document"], unique=False, postgresql_using="gin")
    backends.install(op.get_bind())


def downgrade():
    from app.search import backends

    backends.uninstall(op.get_bind())
    with op.batch_alter_table("search_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_search_entry_document", postgresql_using="gin")
        batch_op.drop_index(batch_op.f("ix_search_entry_group_key"))
        batch_op.drop_index(batch_op.f("ix_search_entry_publish_at"))
        batch_op.drop_index(batch_op.f("ix_search_entry_expire_at"))
    _drop_old()
    op.create_table(
        "search_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("haystack", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("publish_at", sa.DateTime(), nullable=True),
        sa.Column("expire_at", sa.DateTime(), nullable=True),
        sa.Column("indexed_at", sa.DateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_search_entry_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entry")),
        sa.UniqueConstraint("content_type", "object_id", name="uq_search_entry_item"),
    )
    with op.batch_alter_table("search_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_entry_content_type"), ["content_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entry_published_at"), ["published_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entry_tenant_id"), ["tenant_id"], unique=False)
