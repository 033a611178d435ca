"""quarterly review timer

A quarterly review is now created when the quarter before it opens, and waits on the timer start event of
kwartaalanalyse.bpmn; `next_due_at` holds that timer's due time (indexed, like complaints.next_due_at).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quarterly_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_quarterly_reviews_next_due_at'), ['next_due_at'], unique=False)


def downgrade():
    with op.batch_alter_table('quarterly_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quarterly_reviews_next_due_at'))
        batch_op.drop_column('next_due_at')
