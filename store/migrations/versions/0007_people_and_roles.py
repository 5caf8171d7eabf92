"""People and roles a board can trust: the console as a marked person (not a fake Slack user),
board members, the record of every change to people and roles, and the directory version.

Owners of a board's actions and papers become its members; the console stand-in "UCONSOLE"
becomes a person without Slack marked `console`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("console", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("UPDATE person SET console = true, slack_user_id = NULL WHERE slack_user_id = 'UCONSOLE'")
    op.create_index("ix_board_role_person_id", "board_role", ["person_id"])
    # owners of a board's actions and papers are its members
    for owners, items in (("action_owner", "action"), ("plan_item_owner", "plan_item")):
        key = "action_id" if owners == "action_owner" else "item_id"
        op.execute(f"""
            INSERT INTO board_role (board_id, person_id, role)
            SELECT DISTINCT i.board_id, o.person_id, 'member' FROM {owners} o JOIN {items} i ON i.id = o.{key}
            WHERE NOT EXISTS (SELECT 1 FROM board_role r WHERE r.board_id = i.board_id
                              AND r.person_id = o.person_id AND r.role = 'member')""")
    op.create_table(
        "people_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("board_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["board_id"], ["board.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_people_event_person_id", "people_event", ["person_id"])
    op.create_index("ix_people_event_board_id", "people_event", ["board_id"])
    op.create_table(
        "directory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO directory (id, version) VALUES (1, 1)")


def downgrade() -> None:
    op.drop_table("directory")
    op.drop_index("ix_people_event_board_id", table_name="people_event")
    op.drop_index("ix_people_event_person_id", table_name="people_event")
    op.drop_table("people_event")
    op.execute("DELETE FROM board_role WHERE role = 'member'")
    op.drop_index("ix_board_role_person_id", table_name="board_role")
    op.execute("UPDATE person SET slack_user_id = 'UCONSOLE' WHERE console = true")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("console")
