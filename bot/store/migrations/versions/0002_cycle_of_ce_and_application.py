"""Which cycle a CE record was used for, and which cycle an application renews.

A CE record completed in the days after an expiration lies in two windows; once a late renewal
used it, ``counted_for`` keeps it from counting again in the next cycle. ``for_expiration`` keeps
a late application for the previous cycle from being read as this cycle's application.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 00:50:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('ce_records') as batch:
        batch.add_column(sa.Column('counted_for', sa.Date(), nullable=True))
    with op.batch_alter_table('applications') as batch:
        batch.add_column(sa.Column('for_expiration', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('applications') as batch:
        batch.drop_column('for_expiration')
    with op.batch_alter_table('ce_records') as batch:
        batch.drop_column('counted_for')
