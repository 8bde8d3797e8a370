"""Telegram webhook updates kept until handled, and the per-chat claims of the gateway instances.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 10:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('telegram_updates',
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_by', sa.String(length=64), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('update_id', name=op.f('pk_telegram_updates'))
    )
    op.create_index(op.f('ix_telegram_updates_chat_id_processed_at_update_id'), 'telegram_updates',
                    ['chat_id', 'processed_at', 'update_id'], unique=False)
    op.create_index(op.f('ix_telegram_updates_processed_at'), 'telegram_updates', ['processed_at'], unique=False)
    op.create_table('telegram_chat_claims',
    sa.Column('chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('chat_id', name=op.f('pk_telegram_chat_claims'))
    )


def downgrade() -> None:
    op.drop_table('telegram_chat_claims')
    op.drop_index(op.f('ix_telegram_updates_processed_at'), table_name='telegram_updates')
    op.drop_index(op.f('ix_telegram_updates_chat_id_processed_at_update_id'), table_name='telegram_updates')
    op.drop_table('telegram_updates')
