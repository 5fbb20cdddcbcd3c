"""Foundation: users, project members, audit trail, organisations, programmes, projects

Revision ID: c22a2508c2ad
Revises:
Create Date: 2026-11-21 13:44:34.562817
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = 'c22a2508c2ad'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('acronym', sa.String(length=50), nullable=True),
    sa.Column('kind', sa.Enum('donor', 'un_agency', 'intergovernmental', 'government', 'ngo', 'academic', 'private', name='org_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('source_locator', sa.String(length=300), nullable=True),
    sa.Column('source_passage', sa.Text(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('name', name=op.f('uq_organisations_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('admin', 'manager', 'officer', 'evaluator', name='user_role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('locale', sa.Enum('en', 'ru', name='user_locale', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('last_login_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('password_changed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=True),
    sa.Column('entity_id', sa.String(length=64), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_events_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_audit_events_entity', ['entity', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_user_id'), ['user_id'], unique=False)

    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('lead_organisation_id', sa.Integer(), nullable=True),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('budget', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('status', sa.Enum('pipeline', 'implementation', 'finalisation', 'closed', 'cancelled', 'suspended', name='activity_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('iati_identifier', sa.String(length=150), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('source_locator', sa.String(length=300), nullable=True),
    sa.Column('source_passage', sa.Text(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('budget IS NULL OR budget >= 0', name=op.f('ck_programmes_budget_non_negative')),
    sa.CheckConstraint('end_date IS NULL OR start_date IS NULL OR end_date >= start_date', name=op.f('ck_programmes_period_order')),
    sa.ForeignKeyConstraint(['lead_organisation_id'], ['organisations.id'], name=op.f('fk_programmes_lead_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes')),
    sa.UniqueConstraint('code', name=op.f('uq_programmes_code')),
    sa.UniqueConstraint('iati_identifier', name=op.f('uq_programmes_iati_identifier'))
    )
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programmes_lead_organisation_id'), ['lead_organisation_id'], unique=False)

    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('implementer_id', sa.Integer(), nullable=True),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('budget', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('status', sa.Enum('pipeline', 'implementation', 'finalisation', 'closed', 'cancelled', 'suspended', name='activity_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('source_locator', sa.String(length=300), nullable=True),
    sa.Column('source_passage', sa.Text(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('budget IS NULL OR budget >= 0', name=op.f('ck_projects_budget_non_negative')),
    sa.CheckConstraint('end_date IS NULL OR start_date IS NULL OR end_date >= start_date', name=op.f('ck_projects_period_order')),
    sa.ForeignKeyConstraint(['implementer_id'], ['organisations.id'], name=op.f('fk_projects_implementer_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_projects_programme_id_programmes'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('code', name=op.f('uq_projects_code'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_implementer_id'), ['implementer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_programme_id'), ['programme_id'], unique=False)

    op.create_table('project_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('officer', 'evaluator', name='member_role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_members_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_project_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_members')),
    sa.UniqueConstraint('project_id', 'user_id', name=op.f('uq_project_members_project_id'))
    )
    with op.batch_alter_table('project_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_members_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_members_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('project_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_project_members_project_id'))

    op.drop_table('project_members')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_programme_id'))
        batch_op.drop_index(batch_op.f('ix_projects_implementer_id'))

    op.drop_table('projects')
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programmes_lead_organisation_id'))

    op.drop_table('programmes')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_user_id'))
        batch_op.drop_index('ix_audit_events_entity')
        batch_op.drop_index(batch_op.f('ix_audit_events_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))

    op.drop_table('audit_events')
    op.drop_table('users')
    op.drop_table('organisations')
