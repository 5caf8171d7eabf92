"""The ids of the open actions in an index of their own (partial: only open ones, not those of an
unfinished import). "list mine" meets them with the person's owner rows, index with index, and
reads a table row only for each action it shows: on PostgreSQL it visited every open action's row.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

OPEN_ACTION = "status IN ('open', 'closure proposed', 'closing when') AND import_run_id IS NULL"


def upgrade() -> None:
    op.create_index("ix_action_open", "action", ["id"], sqlite_where=sa.text(OPEN_ACTION),
                    postgresql_where=sa.text(OPEN_ACTION))


def downgrade() -> None:
    op.drop_index("ix_action_open", table_name="action")
