"""The outbox's look-ups by kind and recipient (is an App Home refresh already owed to this person?)
had no index and scanned every row ever sent.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbox_kind_channel_status", "outbox", ["kind", "channel", "status"])


def downgrade() -> None:
    op.drop_index("ix_outbox_kind_channel_status", table_name="outbox")
