"""Faults in Slack's set-up (a revoked token, a missing scope), kept per token so they are
reported once, pause only what needs them, and show on /healthz.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op


revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slack_fault",
        sa.Column("key", sa.String(length=120), primary_key=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("detail", sa.String(length=80), nullable=False),
        sa.Column("token", sa.String(length=16), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("slack_fault")
