"""Outbox leases: a sender holds its claims with a lease it renews while alive, so a restarted
process takes over a dead one's claims within seconds (it waited five minutes before). Delivery ids
grow to hold a slash command's trigger_id.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("slack_delivery", schema=None) as batch_op:
        batch_op.alter_column("event_id", type_=sa.String(length=120), existing_type=sa.String(length=64),
                              existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("slack_delivery", schema=None) as batch_op:
        batch_op.alter_column("event_id", type_=sa.String(length=64), existing_type=sa.String(length=120),
                              existing_nullable=False)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
        batch_op.drop_column("claimed_by")
