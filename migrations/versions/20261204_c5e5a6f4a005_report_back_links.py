"""Report-back links: a recommendation's focal point, the signed links sent to them, and the
actions they report (verified or rejected by a manager)

Revision ID: c5e5a6f4a005
Revises: c4d6f5e3a004
Create Date: 2026-12-04 10:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = 'c5e5a6f4a005'
down_revision: str | None = 'c4d6f5e3a004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('focal_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('focal_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('focal_organisation', sa.String(length=300),
                                      nullable=True))
    op.create_table('report_back_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('focal_name', sa.String(length=200), nullable=False),
    sa.Column('focal_email', sa.String(length=254), nullable=False),
    sa.Column('focal_organisation', sa.String(length=300), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('last_used_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_report_back_links_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_report_back_links_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_report_back_links_revoked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_back_links'))
    )
    with op.batch_alter_table('report_back_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_back_links_recommendation_id'),
                              ['recommendation_id'], unique=False)
    with op.batch_alter_table('followup_actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_back_link_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rejected_at', app.db.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('rejected_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rejection_reason', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_followup_actions_report_back_link_id'),
                              ['report_back_link_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_followup_actions_report_back_link_id_report_back_links'),
            'report_back_links', ['report_back_link_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_followup_actions_rejected_by_id_users'),
                                    'users', ['rejected_by_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('followup_actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_followup_actions_rejected_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_constraint(
            batch_op.f('fk_followup_actions_report_back_link_id_report_back_links'),
            type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_followup_actions_report_back_link_id'))
        batch_op.drop_column('rejection_reason')
        batch_op.drop_column('rejected_by_id')
        batch_op.drop_column('rejected_at')
        batch_op.drop_column('report_back_link_id')
    with op.batch_alter_table('report_back_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_back_links_recommendation_id'))
    op.drop_table('report_back_links')
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_column('focal_organisation')
        batch_op.drop_column('focal_email')
        batch_op.drop_column('focal_name')
