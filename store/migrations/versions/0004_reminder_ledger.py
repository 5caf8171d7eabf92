"""reminder ledger

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('subject', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=40), nullable=False),
    sa.Column('occasion', sa.String(length=40), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'subject', 'recipient', 'occasion', name='uq_reminder')
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snoozed_until', sa.Date(), nullable=True))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fallback_to', sa.String(length=200), nullable=True))
    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_day', sa.String(length=9), server_default='monday', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.drop_column('digest_day')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('fallback_to')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_column('snoozed_until')

    op.drop_table('reminder')
