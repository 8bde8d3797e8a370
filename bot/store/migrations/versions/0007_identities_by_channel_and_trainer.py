"""An index on channel identities by (channel, trainer): the reminder pass's per-batch lookup.

Without it SQLite answers "the Telegram accounts of trainers A..B" through the (channel, user_id)
key, reading every identity of the channel for each batch: a pass over 100,000 trainers grew with
the square of the store.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 05:10:00

"""
from typing import Sequence, Union

from alembic import op


revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_channel_identities_channel_trainer_id', 'channel_identities', ['channel', 'trainer_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_channel_identities_channel_trainer_id', table_name='channel_identities')
