"""Imports that never hold the database against the live app: an import run, and its actions hidden
until it finishes. A due date's words when a log had no date ("Ongoing", "TBC") are kept.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("started", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("new_people", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["board_id"], ["board.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("import_run_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_action_import_run", "import_run", ["import_run_id"], ["id"])
    op.create_index("ix_action_import_run", "action", ["import_run_id"],
                    sqlite_where=sa.text("import_run_id IS NOT NULL"),
                    postgresql_where=sa.text("import_run_id IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_action_import_run", table_name="action")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_constraint("fk_action_import_run", type_="foreignkey")
        batch_op.drop_column("import_run_id")
        batch_op.drop_column("due_note")
    op.drop_table("import_run")
