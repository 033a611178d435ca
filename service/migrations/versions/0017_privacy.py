"""the complainant's export, the access log, the hold and retention (issue 17)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 00:00:00.000000

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
