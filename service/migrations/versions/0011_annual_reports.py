"""annual reports: a draft per year, then final versions that never change

- annual_reports: the practice's conclusions and signature fields of a year's complaints report; a final version
  keeps the .docx rendered when it was made final (content) with its SHA-256.

Revision ID: 0011
Revises: 0010
Create Date: 2027-01-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'annual_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('conclusions', sa.Text(), nullable=False),
        sa.Column('signed_by_name', sa.String(length=200), nullable=False),
        sa.Column('signed_by_function', sa.String(length=200), nullable=False),
        sa.Column('place', sa.String(length=100), nullable=False),
        sa.Column('fixed_on', sa.Date(), nullable=True),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=80), nullable=False),
        sa.Column('finalised_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finalised_by', sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_reports')),
        sa.UniqueConstraint('year', 'version', name='uq_annual_reports_year_version'),
    )


def downgrade():
    op.drop_table('annual_reports')
