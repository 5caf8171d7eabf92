"""The Slack name a person was last mentioned by (`<@U123|jsmith>`), so `jsmith` finds them.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op


revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("person", sa.Column("slack_name", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("slack_name")
