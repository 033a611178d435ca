"""notes on a case (issue 16)

- notes: dated notes by the complaint's handler or the practice (a phone call, an e-mail, a meeting, a letter),
  with the ids of the attachments that go with them; complaint_id indexed.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 23:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('complaint_id', sa.Integer(), nullable=False),
        sa.Column('noted_on', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('author', sa.String(length=80), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('attachment_ids', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_notes_complaint_id_complaints')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notes')),
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_complaint_id'), ['complaint_id'], unique=False)


def downgrade():
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_complaint_id'))
    op.drop_table('notes')
