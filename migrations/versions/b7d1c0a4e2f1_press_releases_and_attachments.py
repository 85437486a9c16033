"""Press releases; one name (``attachments``) for every list of media files.

Revision ID: b7d1c0a4e2f1
Revises: f3222521dacd
Create Date: 2026-12-01 21:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b7d1c0a4e2f1"
down_revision = "f3222521dacd"
branch_labels = None
depends_on = None

# (table, old column, new column): every list of media ids is called ``attachments``.
RENAMES = (("legal_document", "files", "attachments"), ("project", "documents", "attachments"))


def upgrade():
    op.create_table(
        "press_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("summary_en", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("cover_id", sa.Integer(), nullable=True),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=255), nullable=False),
        sa.Column("contact_phone", sa.String(length=50), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("review_step", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("publish_at", sa.DateTime(), nullable=True),
        sa.Column("expire_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("source_tenant_id", sa.Integer(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("source_object_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("last_editor_id", sa.Integer(), nullable=True),
        sa.Column("revision_of_id", sa.Integer(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], name=op.f("fk_press_release_author_id_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["cover_id"], ["media_file.id"], name=op.f("fk_press_release_cover_id_media_file"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["last_editor_id"], ["user.id"], name=op.f("fk_press_release_last_editor_id_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["revision_of_id"], ["press_release.id"], name=op.f("fk_press_release_revision_of_id_press_release"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_tenant_id"], ["tenant.id"], name=op.f("fk_press_release_source_tenant_id_tenant"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_press_release_tenant_id_tenant"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_press_release")),
        sa.UniqueConstraint("tenant_id", "slug", name="uq_press_release_tenant_slug"),
    )  # fmt: skip
    with op.batch_alter_table("press_release", schema=None) as batch_op:
        for column in ("author_id", "due_at", "published_at", "revision_of_id", "state", "tenant_id"):
            batch_op.create_index(batch_op.f(f"ix_press_release_{column}"), [column], unique=False)
    for table, old, new in RENAMES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(old, new_column_name=new)
    _rename_snapshot_keys({"document": ("files", "attachments"), "project": ("documents", "attachments")})
    _sanitise_rich_text()


# Every rich-text column of the declared content types (``Kind.RICH_TEXT``). Some were stored unsanitised
# before the declarations (a document body saved in the back office, answers): clean what is there.
RICH_TEXT = {
    "directory_official": ("biography",),
    "legal_document": ("body",),
    "news_article": ("body", "body_en"),
    "pages_page": ("body", "body_en"),
    "question_answer": ("body",),
    "statistics_dataset": ("methodology", "analysis"),
}


def _sanitise_rich_text():
    from app.core.text import sanitize_html

    connection = op.get_bind()
    for name, columns in RICH_TEXT.items():
        table = sa.table(name, sa.column("id", sa.Integer), *(sa.column(c, sa.Text) for c in columns))
        for row in connection.execute(sa.select(table.c.id, *(table.c[c] for c in columns))).all():
            changed = {c: sanitize_html(row[i + 1]) for i, c in enumerate(columns) if row[i + 1]}
            changed = {c: v for c, v in changed.items() if v != row[columns.index(c) + 1]}
            if changed:
                connection.execute(table.update().where(table.c.id == row[0]).values(**changed))


def _rename_snapshot_keys(renames):
    """Published snapshots (``workflow_revision.data``) use the new names too."""
    revision = sa.table(
        "workflow_revision", sa.column("id", sa.Integer), sa.column("content_type", sa.String), sa.column("data", sa.JSON)
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(revision.c.id, revision.c.content_type, revision.c.data).where(
        revision.c.content_type.in_(list(renames)))).all()  # fmt: skip
    for row_id, content_type, data in rows:
        old, new = renames[content_type]
        if isinstance(data, dict) and old in data:
            data = {(new if key == old else key): value for key, value in data.items()}
            connection.execute(revision.update().where(revision.c.id == row_id).values(data=data))


def downgrade():
    _rename_snapshot_keys({"document": ("attachments", "files"), "project": ("attachments", "documents")})
    for table, old, new in reversed(RENAMES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(new, new_column_name=old)
    op.drop_table("press_release")
