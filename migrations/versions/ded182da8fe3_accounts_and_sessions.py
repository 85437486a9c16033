"""Accounts and sessions (issue 11): failure delays, trusted devices, session versions, reset links,
API tokens that expire.

Revision ID: ded182da8fe3
Revises: c4e8a2b19d70
Create Date: 2026-12-08 10:00:00
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "ded182da8fe3"
down_revision = "c4e8a2b19d70"
branch_labels = None
depends_on = None

# Tokens issued before tokens expired get the default lifetime from the upgrade on.
EXISTING_TOKEN_DAYS = 90


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_failed_login_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("device_failures", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("device_epoch", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("password_reset_sent_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
    token = sa.table("api_token", sa.column("expires_at", sa.DateTime()))
    until = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=EXISTING_TOKEN_DAYS)
    op.execute(token.update().values(expires_at=until))
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.alter_column("expires_at", existing_type=sa.DateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("password_reset_sent_at")
        batch_op.drop_column("session_version")
        batch_op.drop_column("device_epoch")
        batch_op.drop_column("device_failures")
        batch_op.drop_column("last_failed_login_at")
