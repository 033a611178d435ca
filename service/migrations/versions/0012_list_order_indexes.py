"""lists that stay fast: a complaint's due day, and indexes in the lists' orders (issue 15)

- complaints.due_on: the earliest due day of a deadline that still applies (workflow/sync.py keeps it), so the
  Klachten list sorts by due date from an index; filled here from the deadlines.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaints_due_on'), ['due_on'], unique=False)
    op.execute(
        "UPDATE complaints SET due_on = (SELECT MIN(deadlines.due_on) FROM deadlines "
        "WHERE deadlines.complaint_id = complaints.id AND deadlines.met_on IS NULL "
        "AND deadlines.cancelled_on IS NULL)"
    )


def downgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_due_on'))
        batch_op.drop_column('due_on')
