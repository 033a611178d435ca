"""the complainant's export, the access log, the hold and retention (issue 17)

- complaints.retention_hold (+ reason): the practice keeps a complaint from retention; complaints.anonymised_at:
  when retention erased its personal data.
- access_log: who viewed a complaint, downloaded its letters or attachments, or exported it (by complaint).
- retention_runs: the days the wake-up ran retention, one row per day (the insert is the claim).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_hold', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('retention_hold_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'access_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('complaint_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor', sa.String(length=80), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'],
                                name=op.f('fk_access_log_complaint_id_complaints')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log')),
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_log_complaint_id'), ['complaint_id'], unique=False)
    op.create_table(
        'retention_runs',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_retention_runs')),
    )


def downgrade():
    op.drop_table('retention_runs')
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_log_complaint_id'))
    op.drop_table('access_log')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('retention_hold_reason')
        batch_op.drop_column('retention_hold')
