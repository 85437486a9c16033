"""Tenant lifecycle (issue 17): states, successor, former names and hosts, redirects, the commune kind, the
pinned legal basis of the reports.

Revision ID: a1f0c3e5d217
Revises: 9e4b7c2a1f05
Create Date: 2026-12-02 00:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a1f0c3e5d217"
down_revision = "9e4b7c2a1f05"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tenant") as batch:
        batch.add_column(sa.Column("state", sa.String(length=20), server_default="active", nullable=False))
        batch.add_column(sa.Column("state_since", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("successor_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("former_codes", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch.add_column(sa.Column("base_domain", sa.String(length=255), server_default="", nullable=False))
        batch.add_column(sa.Column("rules_basis", sa.String(length=40), server_default="", nullable=False))
        batch.add_column(sa.Column("unit_code", sa.String(length=20), server_default="", nullable=False))
        batch.add_column(sa.Column("restructured_at", sa.DateTime(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_tenant_successor_id_tenant"), "tenant", ["successor_id"], ["id"], ondelete="SET NULL"
        )

    op.create_table(
        "tenant_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("valid_until", sa.DateTime(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_vi", sa.String(length=255), nullable=False),
        sa.Column("name_en", sa.String(length=255), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("fax", sa.String(length=50), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_tenant_identity_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant_identity")),
    )
    with op.batch_alter_table("tenant_identity") as batch:
        batch.create_index(batch.f("ix_tenant_identity_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "former_host",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=253), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("moved_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_former_host_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_former_host")),
        sa.UniqueConstraint("host", name=op.f("uq_former_host_host")),
    )
    with op.batch_alter_table("former_host") as batch:
        batch.create_index(batch.f("ix_former_host_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "redirect",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("old_path", sa.String(length=1000), nullable=False),
        sa.Column("new_path", sa.String(length=1000), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_redirect_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redirect")),
        sa.UniqueConstraint("tenant_id", "old_path", name="uq_redirect_tenant_old_path"),
    )
    with op.batch_alter_table("redirect") as batch:
        batch.create_index(batch.f("ix_redirect_tenant_id"), ["tenant_id"], unique=False)


def downgrade():
    op.drop_table("redirect")
    op.drop_table("former_host")
    op.drop_table("tenant_identity")
    with op.batch_alter_table("tenant") as batch:
        batch.drop_constraint(batch.f("fk_tenant_successor_id_tenant"), type_="foreignkey")
        for column in (
            "restructured_at",
            "unit_code",
            "rules_basis",
            "base_domain",
            "former_codes",
            "successor_id",
            "state_since",
            "state",
        ):
            batch.drop_column(column)
