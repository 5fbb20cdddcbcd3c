"""Evidence files (content-addressed blobs and their attachments to records), and whether a
project member may see sensitive data

Revision ID: fd679f12f400
Revises: c7a1d5e0f3b2
Create Date: 2026-12-03 06:59:05.710637
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = 'fd679f12f400'
down_revision: str | None = 'c7a1d5e0f3b2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('evidence_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('media_type', sa.String(length=120), nullable=False),
    sa.Column('encrypted', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_evidence_blobs'))
    )
    op.create_table('evidence_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sa.Enum('value', 'activity', 'event', 'recommendation', 'action', name='evidence_subject_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('subject_part_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('report', 'attendance', 'photo', 'official', 'media', 'other', name='evidence_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('document_date', sa.Date(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.Column('retain_until', sa.Date(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('removed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['blob_sha256'], ['evidence_blobs.sha256'], name=op.f('fk_evidence_files_blob_sha256_evidence_blobs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_evidence_files_project_id_projects'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_evidence_files_removed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_evidence_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_files'))
    )
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_files_blob_sha256'), ['blob_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_files_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_files_removed_at'), ['removed_at'], unique=False)
        batch_op.create_index('ix_evidence_files_subject', ['subject_kind', 'subject_id', 'subject_part_id'], unique=False)

    with op.batch_alter_table('project_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sensitive_access', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('project_members', schema=None) as batch_op:
        batch_op.drop_column('sensitive_access')

    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_files_subject')
        batch_op.drop_index(batch_op.f('ix_evidence_files_removed_at'))
        batch_op.drop_index(batch_op.f('ix_evidence_files_project_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_files_blob_sha256'))

    op.drop_table('evidence_files')
    op.drop_table('evidence_blobs')
