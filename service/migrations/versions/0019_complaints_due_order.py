"""the Klachten list by due date read from one index on SQLite and PostgreSQL (issue 15)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 00:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_complaints_due_order', 'complaints', [sa.text('(due_on IS NULL)'), 'due_on', 'id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_complaints_due_order', table_name='complaints')
