"""the complainant's side: online complaints, status links, letters made available (issue 18)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 00:00:00.000000

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'status_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('complaint_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'],
                                name=op.f('fk_status_links_complaint_id_complaints')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_status_links')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_status_links_token_hash')),
    )
    with op.batch_alter_table('status_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_links_complaint_id'), ['complaint_id'], unique=False)
    op.create_table(
        'public_submissions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('outcome', sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_public_submissions')),
    )
    with op.batch_alter_table('public_submissions', schema=None) as batch_op:
        batch_op.create_index('ix_public_submissions_address_at', ['address', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_submissions_at'), ['at'], unique=False)
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_by_post_on', sa.Date(), nullable=True))
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_form_enabled', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.drop_column('public_form_enabled')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_column('sent_by_post_on')
    with op.batch_alter_table('public_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_submissions_at'))
        batch_op.drop_index('ix_public_submissions_address_at')
    op.drop_table('public_submissions')
    with op.batch_alter_table('status_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_links_complaint_id'))
    op.drop_table('status_links')
