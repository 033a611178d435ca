"""the worklist read from one index: open tasks per role and assignee in the list's order (issue 15)

The list's order is "due_on IS NULL, due_on, created_at, id" (earliest due first, tasks without a term last),
which an index on the same expressions serves on SQLite and PostgreSQL alike.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 23:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_tasks_worklist', 'tasks',
                    ['state', 'role', 'assignee', sa.text('(due_on IS NULL)'), 'due_on', 'created_at', 'id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_tasks_worklist', table_name='tasks')
