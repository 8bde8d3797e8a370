"""Button payloads kept in the store: a button's callback data is a random key, never the payload.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('button_payloads',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('chat_id', sa.String(length=128), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_button_payloads'))
    )
    op.create_index(op.f('ix_button_payloads_chat_id'), 'button_payloads', ['chat_id'], unique=False)
    op.create_index(op.f('ix_button_payloads_created_at'), 'button_payloads', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_button_payloads_created_at'), table_name='button_payloads')
    op.drop_index(op.f('ix_button_payloads_chat_id'), table_name='button_payloads')
    op.drop_table('button_payloads')
