"""e-mail: users' address, active flag and digest choice; the outbox of mails to send (issue 16)

- users.email, users.active (a disabled user cannot log in), users.mail_digest (one mail a day instead of
  separate mails).
- outbox_mail: mails queued in the transaction of the step that causes them, sent after commit with retries
  (service/mail/); dedupe_key unique, next_attempt_at indexed.
- tasks: an index on (state, due_on) for the reminder sweep of every wake-up.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('mail_digest', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_state_due_on', ['state', 'due_on'], unique=False)
    op.create_table(
        'outbox_mail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body_text', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_mail')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_mail_dedupe_key')),
    )
    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_mail_next_attempt_at'), ['next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_mail_next_attempt_at'))
    op.drop_table('outbox_mail')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_state_due_on')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('mail_digest')
        batch_op.drop_column('active')
        batch_op.drop_column('email')
