"""withdrawal, cancelled deadlines, delay notices, consent to an extension, informal signals

A deadline that stops applying (not taken into handling, withdrawal) keeps the day in `cancelled_on`; a
complaint keeps when and how it was withdrawn; a delay notice is kept with its reason and expected date.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_on', sa.Date(), nullable=True))
    with op.batch_alter_table('extensions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_given_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('consent_channel', sa.String(length=20), nullable=True))
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_channel', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), nullable=True))
    op.create_table(
        'signals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('coach_username', sa.String(length=80), nullable=True),
        sa.Column('category_id', sa.Integer(), nullable=True),
        sa.Column('resolution', sa.Text(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recorded_by', sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_signals_category_id_categories')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_signals')),
    )
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signals_received_on'), ['received_on'], unique=False)
    op.create_table(
        'delay_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('complaint_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('expected_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_delay_notices_complaint_id_complaints')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_delay_notices')),
    )
    with op.batch_alter_table('delay_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delay_notices_complaint_id'), ['complaint_id'], unique=False)


def downgrade():
    with op.batch_alter_table('delay_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delay_notices_complaint_id'))
    op.drop_table('delay_notices')
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signals_received_on'))
    op.drop_table('signals')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawal_channel')
        batch_op.drop_column('withdrawn_on')
    with op.batch_alter_table('extensions', schema=None) as batch_op:
        batch_op.drop_column('consent_channel')
        batch_op.drop_column('consent_given_on')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_column('cancelled_on')
