"""complainant salutation and surname

Letters open with "Geachte heer Öztürk," / "Geachte mevrouw De Vries,": the complaint keeps the salutation and
the surname (with its tussenvoegsel) beside the full name.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complainant_salutation', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('complainant_surname', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('complainant_surname')
        batch_op.drop_column('complainant_salutation')
