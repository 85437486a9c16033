"""Reviews that bind: each transition records the content version its actor saw.

Revision ID: c4e8a2b19d70
Revises: b7d1c0a4e2f1
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c4e8a2b19d70"
down_revision = "b7d1c0a4e2f1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("workflow_transition") as batch:
        batch.add_column(sa.Column("version", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("workflow_transition") as batch:
        batch.drop_column("version")
