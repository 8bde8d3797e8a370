"""Handoff for real: the trainer's assessment on the ticket, and the relay queue between trainer and staff.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 10:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('handoff_tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assessment', sa.Text(), server_default='', nullable=False))

    op.create_table('relay_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.Enum('staff', 'trainer', name='relay_audience', native_enum=False, create_constraint=True, length=7), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('external_chat', sa.String(length=64), nullable=True),
    sa.Column('external_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['handoff_tickets.id'], name=op.f('fk_relay_messages_ticket_id_handoff_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relay_messages'))
    )
    op.create_index(op.f('ix_relay_messages_ticket_id'), 'relay_messages', ['ticket_id'], unique=False)
    op.create_index(op.f('ix_relay_messages_audience_delivered_at'), 'relay_messages', ['audience', 'delivered_at'], unique=False)
    op.create_index(op.f('ix_relay_messages_external_chat_external_id'), 'relay_messages', ['external_chat', 'external_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_relay_messages_external_chat_external_id'), table_name='relay_messages')
    op.drop_index(op.f('ix_relay_messages_audience_delivered_at'), table_name='relay_messages')
    op.drop_index(op.f('ix_relay_messages_ticket_id'), table_name='relay_messages')
    op.drop_table('relay_messages')
    with op.batch_alter_table('handoff_tickets', schema=None) as batch_op:
        batch_op.drop_column('assessment')
