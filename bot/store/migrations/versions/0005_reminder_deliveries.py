"""Reminders: deliveries claimed per (trainer, program, cycle, milestone), and the trainer's opt-out.

The old ``reminder_deliveries`` table was never written (nothing sent reminders before issue 9),
so it is replaced rather than altered.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 10:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('trainers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('reminders', sa.Boolean(create_constraint=True, name=op.f('ck_trainers_reminders')),
                      server_default=sa.true(), nullable=False)
        )

    op.drop_table('reminder_deliveries')
    op.create_table('reminder_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.String(length=64), nullable=False),
    sa.Column('program', sa.String(length=64), nullable=False),
    sa.Column('cycle', sa.Date(), nullable=False),
    sa.Column('milestone', sa.String(length=32), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('recipient', sa.String(length=128), nullable=False),
    sa.Column('state', sa.Enum('claimed', 'sent', 'blocked', 'failed', name='delivery_state', native_enum=False, create_constraint=True, length=7), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='1', nullable=False),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['trainer_id'], ['trainers.id'], name=op.f('fk_reminder_deliveries_trainer_id_trainers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_deliveries')),
    sa.UniqueConstraint('trainer_id', 'program', 'cycle', 'milestone', name=op.f('uq_reminder_deliveries_trainer_id_program_cycle_milestone'))
    )
    op.create_index(op.f('ix_reminder_deliveries_state_claimed_at'), 'reminder_deliveries', ['state', 'claimed_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reminder_deliveries_state_claimed_at'), table_name='reminder_deliveries')
    op.drop_table('reminder_deliveries')
    op.create_table('reminder_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.String(length=64), nullable=False),
    sa.Column('program', sa.String(length=64), nullable=False),
    sa.Column('milestone', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['trainer_id'], ['trainers.id'], name=op.f('fk_reminder_deliveries_trainer_id_trainers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_deliveries')),
    sa.UniqueConstraint('trainer_id', 'program', 'milestone', 'due_on', name=op.f('uq_reminder_deliveries_trainer_id_program_milestone_due_on'))
    )
    with op.batch_alter_table('trainers', schema=None) as batch_op:
        if op.get_bind().dialect.name == 'sqlite':  # batch mode copies the CHECK into the new table
            batch_op.drop_constraint(op.f('ck_trainers_reminders'), type_='check')
        batch_op.drop_column('reminders')
