"""Indexes for what commands look up: open actions across boards, refs by number.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_action_status_due", "action", ["status", "due"])
    op.create_index("ix_action_number_year", "action", ["number", "year"])


def downgrade() -> None:
    op.drop_index("ix_action_number_year", table_name="action")
    op.drop_index("ix_action_status_due", table_name="action")
