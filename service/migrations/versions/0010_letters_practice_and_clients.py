"""letters the practice trusts and edits: client address and contact, consent to share, recipients, settings

- complaints: the commissioning client's postal address and contact person (escalation letters);
- escalations: whether the complainant consented to sharing the case summary with the commissioning client;
- letters: to whom each letter goes (the final report goes to every person involved, one letter each);
- users: function and NOLOC membership number (appointing a handler takes them from the profile);
- practice_settings: the letterhead the practice fills in (replaces letterhead.json once filled);
- letter_template_uploads: templates the practice edited and uploaded; the latest active one per file name
  replaces the repository's file from the next process version on.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commissioning_client_address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('commissioning_client_contact_person', sa.String(length=200), nullable=True))
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complainant_consent_to_share', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('recipient_name', sa.String(length=200), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('function', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('noloc_number', sa.String(length=50), nullable=True))
    op.create_table(
        'practice_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('address', sa.Text(), nullable=False),
        sa.Column('phone', sa.String(length=50), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('website', sa.String(length=200), nullable=False),
        sa.Column('place', sa.String(length=100), nullable=False),
        sa.Column('logo', sa.LargeBinary(), nullable=True),
        sa.Column('logo_content_type', sa.String(length=100), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'letter_template_uploads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('uploaded_by', sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_letter_template_uploads_name', 'letter_template_uploads', ['name'])


def downgrade():
    op.drop_index('ix_letter_template_uploads_name', table_name='letter_template_uploads')
    op.drop_table('letter_template_uploads')
    op.drop_table('practice_settings')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('noloc_number')
        batch_op.drop_column('function')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_column('recipient_name')
        batch_op.drop_column('recipient')
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_column('complainant_consent_to_share')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('commissioning_client_contact_person')
        batch_op.drop_column('commissioning_client_address')
