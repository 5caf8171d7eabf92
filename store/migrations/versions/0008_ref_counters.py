"""Ref counters: the next number of a board is allocated from a row taken FOR UPDATE, so concurrent
raises never collide (max(number)+1 with retries refused some under load on PostgreSQL).
Counters start lazily after the highest number already on the log.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ref_counter",
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["board_id"], ["board.id"]),
        sa.PrimaryKeyConstraint("board_id", "kind", "year"),
    )


def downgrade() -> None:
    op.drop_table("ref_counter")
