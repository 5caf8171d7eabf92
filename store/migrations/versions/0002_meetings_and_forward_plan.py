"""meetings and forward plan

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('time', sa.Time(), nullable=True),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('board_id', 'day', name='uq_meeting_day')
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_board_id'), ['board_id'], unique=False)

    op.create_table('plan_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('month', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('received', sa.Date(), nullable=True),
    sa.Column('recurrence', sa.String(length=12), nullable=True),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('board_id', 'number', name='uq_plan_ref')
    )
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.create_index('ix_plan_board_status', ['board_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_item_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('plan_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('old', sa.Text(), nullable=True),
    sa.Column('new', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['plan_item.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('plan_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_event_item_id'), ['item_id'], unique=False)

    op.create_table('plan_item_owner',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['plan_item.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('item_id', 'person_id')
    )
    with op.batch_alter_table('plan_item_owner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_item_owner_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publication_days', sa.Integer(), server_default='5', nullable=False))
        batch_op.add_column(sa.Column('reminder_days', sa.String(length=40), server_default='7,1', nullable=False))
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.drop_column('timezone')
        batch_op.drop_column('reminder_days')
        batch_op.drop_column('publication_days')

    with op.batch_alter_table('plan_item_owner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_item_owner_person_id'))

    op.drop_table('plan_item_owner')
    with op.batch_alter_table('plan_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_event_item_id'))

    op.drop_table('plan_event')
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_item_meeting_id'))
        batch_op.drop_index('ix_plan_board_status')

    op.drop_table('plan_item')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_board_id'))

    op.drop_table('meeting')
