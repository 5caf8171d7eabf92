"""action log

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('board',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=True),
    sa.Column('numbering', sa.String(length=20), nullable=False),
    sa.Column('closure_rule', sa.String(length=20), nullable=False),
    sa.Column('paper_deadline_days', sa.Integer(), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=True),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('ephemeral_to', sa.String(length=32), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('blocks', sa.JSON(), nullable=True),
    sa.Column('public_text', sa.Text(), nullable=True),
    sa.Column('public_blocks', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ts', sa.String(length=32), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_pending', ['status', 'not_before'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slack_user_id', sa.String(length=32), nullable=True),
    sa.Column('initials', sa.String(length=12), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('initials'),
    sa.UniqueConstraint('slack_user_id')
    )
    op.create_table('slack_delivery',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('received', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id')
    )
    op.create_table('action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('closing_condition', sa.Text(), nullable=True),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('raised', sa.Date(), nullable=False),
    sa.Column('closed', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('board_id', 'year', 'number', name='uq_action_ref')
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index('ix_action_board_number', ['board_id', 'number'], unique=False)
        batch_op.create_index('ix_action_board_status_due', ['board_id', 'status', 'due'], unique=False)

    op.create_table('board_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('board_id', 'person_id', 'role')
    )
    op.create_table('action_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('dated', sa.Date(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('old', sa.Text(), nullable=True),
    sa.Column('new', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('action_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_event_action_id'), ['action_id'], unique=False)

    op.create_table('action_owner',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('action_id', 'person_id')
    )
    with op.batch_alter_table('action_owner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_owner_person_id'), ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('action_owner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_owner_person_id'))

    op.drop_table('action_owner')
    with op.batch_alter_table('action_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_event_action_id'))

    op.drop_table('action_event')
    op.drop_table('board_role')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index('ix_action_board_status_due')
        batch_op.drop_index('ix_action_board_number')

    op.drop_table('action')
    op.drop_table('slack_delivery')
    op.drop_table('person')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_pending')

    op.drop_table('outbox')
    op.drop_table('board')
