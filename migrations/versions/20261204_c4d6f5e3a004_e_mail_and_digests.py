"""E-mail: the record of every message sent, and each user's digest preferences

Revision ID: c4d6f5e3a004
Revises: c3c7e4d2a003
Create Date: 2026-12-04 09:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = 'c4d6f5e3a004'
down_revision: str | None = 'c3c7e4d2a003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mail_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('to_name', sa.String(length=200), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=True),
    sa.Column('headers', sa.JSON(), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('state', sa.Enum('queued', 'sent', 'failed', 'logged', name='mail_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_messages_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_messages')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_mail_messages_dedupe_key'))
    )
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_messages_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_messages_state'), ['state'], unique=False)

    op.create_table('digest_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.Enum('daily', 'weekly', 'off', name='digest_frequency', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('muted', sa.JSON(), nullable=False),
    sa.Column('verdicts', sa.JSON(), nullable=True),
    sa.Column('last_sent_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_digest_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_preferences')),
    sa.UniqueConstraint('user_id', name=op.f('uq_digest_preferences_user_id'))
    )


def downgrade() -> None:
    op.drop_table('digest_preferences')
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_messages_state'))
        batch_op.drop_index(batch_op.f('ix_mail_messages_user_id'))

    op.drop_table('mail_messages')
