"""quarterly reviews

One row per ended quarter: the practice's review of that quarter's complaints (kwartaalanalyse), with its
workflow state, conclusions and actions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quarterly_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('bpmn_xml', sa.Text(), nullable=True),
    sa.Column('workflow_state', sa.Text(), nullable=True),
    sa.Column('task_id', sa.String(length=36), nullable=True),
    sa.Column('conclusions', sa.Text(), nullable=True),
    sa.Column('actions', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_by', sa.String(length=80), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarterly_reviews')),
    sa.UniqueConstraint('quarter', name='uq_quarterly_reviews_quarter')
    )
    with op.batch_alter_table('quarterly_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quarterly_reviews_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('quarterly_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quarterly_reviews_status'))
    op.drop_table('quarterly_reviews')
