"""Initial schema: the whole record store (trainer records, catalog, conversation-side tables).

Numbers are NUMERIC(4, 1) and timestamps TIMESTAMP WITH TIME ZONE here; the models wrap them in
``bot.store.types`` decorators, which change nothing in the database.

Revision ID: 0001
Revises: 
Create Date: 2026-11-30 00:09:12.734379

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('courses',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('provider', sa.Text(), nullable=False),
    sa.Column('ceus', sa.Numeric(precision=4, scale=1), nullable=False),
    sa.CheckConstraint('ceus >= 0', name=op.f('ck_courses_ceus_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courses'))
    )
    op.create_table('link_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('succeeded', sa.Boolean(create_constraint=True, name='succeeded'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_attempts'))
    )
    op.create_index(op.f('ix_link_attempts_channel_user_id_attempted_at'), 'link_attempts', ['channel', 'user_id', 'attempted_at'], unique=False)

    op.create_table('providers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('approved', sa.Boolean(create_constraint=True, name='approved'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_providers')),
    sa.UniqueConstraint('name', name=op.f('uq_providers_name'))
    )
    op.create_table('trainers',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainers'))
    )
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.String(length=64), nullable=False),
    sa.Column('program', sa.String(length=64), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('audit_selected_on', sa.Date(), nullable=True),
    sa.Column('audit_documents_submitted_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['trainer_id'], ['trainers.id'], name=op.f('fk_applications_trainer_id_trainers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications'))
    )
    op.create_index(op.f('ix_applications_trainer_id'), 'applications', ['trainer_id'], unique=False)

    op.create_table('ce_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.String(length=64), nullable=False),
    sa.Column('course_id', sa.String(length=64), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('provider', sa.Text(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('ceus', sa.Numeric(precision=4, scale=1), nullable=False),
    sa.Column('status', sa.Enum('approved', 'pending_petition', 'petition_denied', 'unapproved', name='ce_status', native_enum=False, create_constraint=True), nullable=False),
    sa.CheckConstraint('ceus >= 0', name=op.f('ck_ce_records_ceus_non_negative')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_ce_records_course_id_courses'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['trainer_id'], ['trainers.id'], name=op.f('fk_ce_records_trainer_id_trainers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_records'))
    )
    op.create_index(op.f('ix_ce_records_trainer_id'), 'ce_records', ['trainer_id'], unique=False)

    op.create_table('channel_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('trainer_id', sa.String(length=64), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['trainer_id'], ['trainers.id'], name=op.f('fk_channel_identities_trainer_id_trainers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_identities')),
    sa.UniqueConstraint('channel', 'user_id', name=op.f('uq_channel_identities_channel_user_id'))
    )
    op.create_index(op.f('ix_channel_identities_trainer_id'), 'channel_identities', ['trainer_id'], unique=False)

    op.create_table('cpr_aed_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.String(length=64), nullable=False),
    sa.Column('provider', sa.Text(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('hands_on', sa.Boolean(create_constraint=True, name='hands_on'), nullable=False),
    sa.CheckConstraint('issued_on IS NULL OR issued_on <= expires_on', name=op.f('ck_cpr_aed_cards_expires_after_issued')),
    sa.ForeignKeyConstraint(['trainer_id'], ['trainers.id'], name=op.f('fk_cpr_aed_cards_trainer_id_trainers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cpr_aed_cards'))
    )
    op.create_index(op.f('ix_cpr_aed_cards_trainer_id'), 'cpr_aed_cards', ['trainer_id'], unique=False)

    op.create_table('credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.String(length=64), nullable=False),
    sa.Column('program', sa.String(length=64), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=True),
    sa.Column('certified_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('plan', sa.Enum('standard', 'lifetime', name='plan', native_enum=False, create_constraint=True), nullable=False),
    sa.CheckConstraint('certified_on IS NULL OR certified_on < expires_on', name=op.f('ck_credentials_expires_after_certified')),
    sa.ForeignKeyConstraint(['trainer_id'], ['trainers.id'], name=op.f('fk_credentials_trainer_id_trainers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credentials')),
    sa.UniqueConstraint('trainer_id', 'program', name=op.f('uq_credentials_trainer_id_program'))
    )
    op.create_table('handoff_tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender', sa.String(length=160), nullable=False),
    sa.Column('trainer_id', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('transcript', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='ticket_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['trainer_id'], ['trainers.id'], name=op.f('fk_handoff_tickets_trainer_id_trainers'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_tickets'))
    )
    op.create_index(op.f('ix_handoff_tickets_trainer_id'), 'handoff_tickets', ['trainer_id'], unique=False)

    op.create_table('link_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('trainer_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['trainer_id'], ['trainers.id'], name=op.f('fk_link_codes_trainer_id_trainers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_link_codes_code_hash'))
    )
    op.create_index(op.f('ix_link_codes_trainer_id'), 'link_codes', ['trainer_id'], unique=False)

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


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('reminder_deliveries')
    op.drop_index(op.f('ix_link_codes_trainer_id'), table_name='link_codes')

    op.drop_table('link_codes')
    op.drop_index(op.f('ix_handoff_tickets_trainer_id'), table_name='handoff_tickets')

    op.drop_table('handoff_tickets')
    op.drop_table('credentials')
    op.drop_index(op.f('ix_cpr_aed_cards_trainer_id'), table_name='cpr_aed_cards')

    op.drop_table('cpr_aed_cards')
    op.drop_index(op.f('ix_channel_identities_trainer_id'), table_name='channel_identities')

    op.drop_table('channel_identities')
    op.drop_index(op.f('ix_ce_records_trainer_id'), table_name='ce_records')

    op.drop_table('ce_records')
    op.drop_index(op.f('ix_applications_trainer_id'), table_name='applications')

    op.drop_table('applications')
    op.drop_table('trainers')
    op.drop_table('providers')
    op.drop_index(op.f('ix_link_attempts_channel_user_id_attempted_at'), table_name='link_attempts')

    op.drop_table('link_attempts')
    op.drop_table('courses')
