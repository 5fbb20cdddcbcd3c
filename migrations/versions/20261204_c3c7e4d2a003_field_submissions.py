"""Field submissions: the ids of KoboToolbox and ODK Central submissions already imported

Revision ID: c3c7e4d2a003
Revises: c2b8d3e1a002
Create Date: 2026-12-04 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = 'c3c7e4d2a003'
down_revision: str | None = 'c2b8d3e1a002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('field_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_field_submissions_imported_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_field_submissions_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_field_submissions')),
    sa.UniqueConstraint('project_id', 'submission_id', name=op.f('uq_field_submissions_project_id'))
    )
    with op.batch_alter_table('field_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_field_submissions_project_id'), ['project_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('field_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_field_submissions_project_id'))
    op.drop_table('field_submissions')
