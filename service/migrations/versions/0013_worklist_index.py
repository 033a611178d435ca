"""the worklist read from one index: open tasks per role and assignee in the list's order (issue 15)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 23:15:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_worklist', ['state', 'role', 'assignee', 'due_on', 'created_at', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_worklist')
