"""Results frameworks, data collection, follow-up of recommendations, evaluation.

Revision ID: 4d64951c3456
Revises: c22a2508c2ad
Create Date: 2026-11-21 13:59:17.781054
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = '4d64951c3456'
down_revision: str | None = 'c22a2508c2ad'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Reference disaggregations every project can use. "total" holds the total row of a value.
DISAGGREGATIONS = [
    ("total", "Total", [("total", "Total")]),
    ("sex", "Sex", [("female", "Female"), ("male", "Male")]),
    ("age_group", "Age group", [("under_15", "Under 15"), ("15_24", "15–24"),
                                ("25_34", "25–34"), ("35_plus", "35 and over")]),
    ("country", "Country", [("KZ", "Kazakhstan"), ("KG", "Kyrgyzstan"), ("TJ", "Tajikistan"),
                            ("TM", "Turkmenistan"), ("UZ", "Uzbekistan"), ("AF", "Afghanistan")]),
    ("target_group", "Target group", [
        ("youth", "Youth"), ("women", "Women"), ("religious_leaders", "Religious leaders"),
        ("migrants", "Migrants"), ("prisoners_returnees", "Prisoners and returnees"),
        ("ethnic_minorities", "Ethnic minorities"), ("media", "Media"),
        ("law_enforcement", "Law enforcement"), ("teachers_parents", "Teachers and parents"),
        ("online_audiences", "Online audiences"), ("civil_society", "Civil society"),
        ("officials", "Officials")]),
    ("location", "Location", [("urban", "Urban"), ("rural", "Rural")]),
]


def _insert_reference_data() -> None:
    types = sa.table("disaggregation_types", sa.column("id", sa.Integer),
                     sa.column("code", sa.String), sa.column("name", sa.String))
    categories = sa.table("disaggregation_categories", sa.column("type_id", sa.Integer),
                          sa.column("code", sa.String), sa.column("name", sa.String),
                          sa.column("position", sa.Integer))
    bind = op.get_bind()
    for code, name, members in DISAGGREGATIONS:
        bind.execute(types.insert().values(code=code, name=name))
        type_id = bind.execute(sa.select(types.c.id).where(types.c.code == code)).scalar_one()
        bind.execute(categories.insert(), [
            {"type_id": type_id, "code": c, "name": n, "position": i}
            for i, (c, n) in enumerate(members)])


def upgrade() -> None:
    op.create_table('disaggregation_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disaggregation_types')),
    sa.UniqueConstraint('code', name=op.f('uq_disaggregation_types_code'))
    )
    op.create_table('disaggregation_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['type_id'], ['disaggregation_types.id'], name=op.f('fk_disaggregation_categories_type_id_disaggregation_types'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disaggregation_categories')),
    sa.UniqueConstraint('type_id', 'code', name=op.f('uq_disaggregation_categories_type_id'))
    )
    with op.batch_alter_table('disaggregation_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disaggregation_categories_type_id'), ['type_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('read_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_user_id'), ['user_id'], unique=False)

    op.create_table('programme_donors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.CheckConstraint('amount IS NULL OR amount >= 0', name=op.f('ck_programme_donors_amount_non_negative')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_programme_donors_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_donors_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_donors')),
    sa.UniqueConstraint('programme_id', 'organisation_id', name=op.f('uq_programme_donors_programme_id'))
    )
    with op.batch_alter_table('programme_donors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_donors_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_donors_programme_id'), ['programme_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=True),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('kind', sa.Enum('workshop', 'conference', 'seminar', 'round_table', 'training', 'high_level_meeting', name='event_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('date_precision', sa.Enum('day', 'month', 'year', name='event_date_precision', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('participants_total', sa.Integer(), nullable=True),
    sa.Column('participants_women', sa.Integer(), nullable=True),
    sa.Column('participants_men', sa.Integer(), nullable=True),
    sa.Column('participants_note', sa.String(length=200), nullable=True),
    sa.Column('cost', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('report_url', sa.String(length=500), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('source_locator', sa.String(length=300), nullable=True),
    sa.Column('source_passage', sa.Text(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('cost IS NULL OR cost >= 0', name=op.f('ck_events_cost_non_negative')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_events_period_order')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_events_project_id_projects'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('slug', name=op.f('uq_events_slug'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_end_date'), ['end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_start_date'), ['start_date'], unique=False)

    op.create_table('project_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.Enum('relevance', 'coherence', 'effectiveness', 'efficiency', 'impact', 'sustainability', name='rating_criterion', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'final', name='rating_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('finalised_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 4', name=op.f('ck_project_ratings_rating_range')),
    sa.ForeignKeyConstraint(['evaluator_id'], ['users.id'], name=op.f('fk_project_ratings_evaluator_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_ratings_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_ratings')),
    sa.UniqueConstraint('project_id', 'evaluator_id', 'criterion', name=op.f('uq_project_ratings_project_id'))
    )
    with op.batch_alter_table('project_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_ratings_evaluator_id'), ['evaluator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_ratings_project_id'), ['project_id'], unique=False)

    op.create_table('reporting_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.Enum('monthly', 'quarterly', 'semi_annual', 'annual', name='period_frequency', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('state', sa.Enum('open', 'submitted', 'returned', 'approved', name='period_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('submitted_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_reporting_periods_period_order')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_reporting_periods_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_reporting_periods_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_reporting_periods_submitted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_periods')),
    sa.UniqueConstraint('project_id', 'frequency', 'start_date', name=op.f('uq_reporting_periods_project_id'))
    )
    with op.batch_alter_table('reporting_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reporting_periods_project_id'), ['project_id'], unique=False)

    op.create_table('results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Enum('goal', 'outcome', 'output', name='result_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('toc_if', sa.Text(), nullable=True),
    sa.Column('toc_then', sa.Text(), nullable=True),
    sa.Column('toc_because', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('source_locator', sa.String(length=300), nullable=True),
    sa.Column('source_passage', sa.Text(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['results.id'], name=op.f('fk_results_parent_id_results'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_results_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_results')),
    sa.UniqueConstraint('project_id', 'code', name=op.f('uq_results_project_id'))
    )
    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_results_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_results_project_id'), ['project_id'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('workshop', 'training', 'outreach', 'counter_narrative', 'dialogue', 'research', 'mentoring', 'other', name='activity_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('cost', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('source_locator', sa.String(length=300), nullable=True),
    sa.Column('source_passage', sa.Text(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('cost IS NULL OR cost >= 0', name=op.f('ck_activities_cost_non_negative')),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_activities_period_order')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_activities_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_activities_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['result_id'], ['results.id'], name=op.f('fk_activities_result_id_results'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_result_id'), ['result_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_start_date'), ['start_date'], unique=False)

    op.create_table('assumptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('untested', 'holding', 'failed', name='assumption_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['result_id'], ['results.id'], name=op.f('fk_assumptions_result_id_results'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assumptions'))
    )
    with op.batch_alter_table('assumptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assumptions_result_id'), ['result_id'], unique=False)

    op.create_table('budget_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.Enum('personnel', 'activities', 'travel', 'equipment', 'monitoring_evaluation', 'indirect', 'other', name='budget_category', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('planned', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('actual', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('source_locator', sa.String(length=300), nullable=True),
    sa.Column('source_passage', sa.Text(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('actual IS NULL OR actual >= 0', name=op.f('ck_budget_lines_actual_non_negative')),
    sa.CheckConstraint('planned >= 0', name=op.f('ck_budget_lines_planned_non_negative')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_budget_lines_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['result_id'], ['results.id'], name=op.f('fk_budget_lines_result_id_results'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_lines'))
    )
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_lines_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_lines_result_id'), ['result_id'], unique=False)

    op.create_table('event_organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('organiser', 'funder', name='event_role', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_organisations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_event_organisations_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_organisations')),
    sa.UniqueConstraint('event_id', 'organisation_id', 'role', name=op.f('uq_event_organisations_event_id'))
    )
    with op.batch_alter_table('event_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_organisations_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_organisations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('definition', sa.Text(), nullable=True),
    sa.Column('type', sa.Enum('output', 'outcome', 'impact', 'context', name='indicator_type', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('measure', sa.Enum('number', 'percentage', 'nominal', 'ordinal', 'qualitative', name='indicator_measure', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('unit', sa.String(length=60), nullable=True),
    sa.Column('direction', sa.Enum('increase', 'decrease', 'maintain', name='indicator_direction', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('calculation', sa.Enum('sum', 'mean', 'max', 'latest', 'ratio', name='indicator_calculation', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('numerator_label', sa.String(length=300), nullable=True),
    sa.Column('denominator_label', sa.String(length=300), nullable=True),
    sa.Column('cumulation', sa.Enum('non_cumulative', 'cumulative', 'non_summing_cumulative', name='indicator_cumulation', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('frequency', sa.Enum('monthly', 'quarterly', 'semi_annual', 'annual', name='indicator_frequency', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('baseline_value', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('baseline_date', sa.Date(), nullable=True),
    sa.Column('baseline_note', sa.Text(), nullable=True),
    sa.Column('target_value', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('data_source', sa.String(length=300), nullable=True),
    sa.Column('collection_method', sa.String(length=300), nullable=True),
    sa.Column('means_of_verification', sa.String(length=300), nullable=True),
    sa.Column('responsible', sa.String(length=200), nullable=True),
    sa.Column('bank_code', sa.String(length=30), nullable=True),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.Column('activity_source', sa.Enum('activity_count', 'participants', name='indicator_activity_source', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('activity_kind', sa.Enum('workshop', 'training', 'outreach', 'counter_narrative', 'dialogue', 'research', 'mentoring', 'other', name='indicator_activity_kind', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('source_locator', sa.String(length=300), nullable=True),
    sa.Column('source_passage', sa.Text(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("calculation <> 'ratio' OR (numerator_label IS NOT NULL AND denominator_label IS NOT NULL)", name=op.f('ck_indicators_ratio_parts')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_indicators_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['result_id'], ['results.id'], name=op.f('fk_indicators_result_id_results'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('project_id', 'code', name=op.f('uq_indicators_project_id'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicators_result_id'), ['result_id'], unique=False)

    op.create_table('recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('addressees', sa.String(length=500), nullable=True),
    sa.Column('responsible_organisation_id', sa.Integer(), nullable=True),
    sa.Column('priority', sa.Enum('critical', 'important', 'normal', name='recommendation_priority', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'partially_implemented', 'implemented', 'not_implemented', 'no_longer_applicable', name='recommendation_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status_note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('source_locator', sa.String(length=300), nullable=True),
    sa.Column('source_passage', sa.Text(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_recommendations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responsible_organisation_id'], ['organisations.id'], name=op.f('fk_recommendations_responsible_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendations')),
    sa.UniqueConstraint('event_id', 'number', name=op.f('uq_recommendations_event_id')),
    sa.UniqueConstraint('slug', name=op.f('uq_recommendations_slug'))
    )
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendations_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendations_responsible_organisation_id'), ['responsible_organisation_id'], unique=False)

    op.create_table('risks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.Enum('operational', 'contextual', 'do_no_harm', 'human_rights', 'fiduciary', name='risk_category', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('likelihood', sa.Integer(), nullable=False),
    sa.Column('impact', sa.Integer(), nullable=False),
    sa.Column('mitigation', sa.Text(), nullable=True),
    sa.Column('owner', sa.String(length=200), nullable=True),
    sa.Column('review_date', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('impact BETWEEN 1 AND 5', name=op.f('ck_risks_impact_range')),
    sa.CheckConstraint('likelihood BETWEEN 1 AND 5', name=op.f('ck_risks_likelihood_range')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_risks_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['result_id'], ['results.id'], name=op.f('fk_risks_result_id_results'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risks'))
    )
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risks_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risks_result_id'), ['result_id'], unique=False)

    op.create_table('activity_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('sex', sa.Enum('female', 'male', 'unknown', name='participant_sex', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('age_group', sa.Enum('under_15', '15_24', '25_34', '35_plus', 'unknown', name='participant_age_group', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint('count >= 0', name=op.f('ck_activity_participants_count_non_negative')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_participants_activity_id_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_participants')),
    sa.UniqueConstraint('activity_id', 'sex', 'age_group', name=op.f('uq_activity_participants_activity_id'))
    )
    with op.batch_alter_table('activity_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_participants_activity_id'), ['activity_id'], unique=False)

    op.create_table('consensus_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('period_id', sa.Integer(), nullable=True),
    sa.Column('aspect', sa.Enum('achievement', 'data_quality', 'criterion', name='consensus_aspect', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('criterion', sa.Enum('relevance', 'coherence', 'effectiveness', 'efficiency', 'impact', 'sustainability', name='consensus_criterion', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('value BETWEEN 1 AND 4', name=op.f('ck_consensus_scores_value_range')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_consensus_scores_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_consensus_scores_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['period_id'], ['reporting_periods.id'], name=op.f('fk_consensus_scores_period_id_reporting_periods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_consensus_scores_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consensus_scores')),
    sa.UniqueConstraint('project_id', 'indicator_id', 'period_id', 'aspect', 'criterion', name=op.f('uq_consensus_scores_project_id'))
    )
    with op.batch_alter_table('consensus_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consensus_scores_project_id'), ['project_id'], unique=False)

    op.create_table('data_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('numerator', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('denominator', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('qualifier', sa.String(length=40), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('evidence_url', sa.String(length=500), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('source_locator', sa.String(length=300), nullable=True),
    sa.Column('source_passage', sa.Text(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.CheckConstraint('denominator IS NULL OR denominator >= 0', name=op.f('ck_data_values_denominator_sign')),
    sa.ForeignKeyConstraint(['category_id'], ['disaggregation_categories.id'], name=op.f('fk_data_values_category_id_disaggregation_categories'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_data_values_entered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_data_values_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['period_id'], ['reporting_periods.id'], name=op.f('fk_data_values_period_id_reporting_periods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_values')),
    sa.UniqueConstraint('indicator_id', 'period_id', 'category_id', name=op.f('uq_data_values_indicator_id'))
    )
    with op.batch_alter_table('data_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_values_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_values_period_id'), ['period_id'], unique=False)

    op.create_table('followup_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('action_date', sa.Date(), nullable=True),
    sa.Column('date_note', sa.String(length=300), nullable=True),
    sa.Column('kind', sa.Enum('project_launched', 'activity_held', 'policy_adopted', 'funding_committed', 'institution_created', 'document_published', 'meeting_held', 'other', name='followup_action_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('state', sa.Enum('planned', 'done', name='followup_action_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=300), nullable=True),
    sa.Column('actor_organisation_id', sa.Integer(), nullable=True),
    sa.Column('evidence_url', sa.String(length=500), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('source_locator', sa.String(length=300), nullable=True),
    sa.Column('source_passage', sa.Text(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_followup_actions_activity_id_activities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['actor_organisation_id'], ['organisations.id'], name=op.f('fk_followup_actions_actor_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_followup_actions_project_id_projects'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_followup_actions_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_followup_actions_verified_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_actions'))
    )
    with op.batch_alter_table('followup_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followup_actions_action_date'), ['action_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_followup_actions_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('indicator_disaggregations',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_disaggregations_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['type_id'], ['disaggregation_types.id'], name=op.f('fk_indicator_disaggregations_type_id_disaggregation_types'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('indicator_id', 'type_id', name=op.f('pk_indicator_disaggregations'))
    )
    op.create_table('indicator_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('achievement', sa.Integer(), nullable=False),
    sa.Column('data_quality', sa.Integer(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'final', name='score_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('finalised_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('achievement BETWEEN 1 AND 4', name=op.f('ck_indicator_scores_achievement_range')),
    sa.CheckConstraint('data_quality BETWEEN 1 AND 4', name=op.f('ck_indicator_scores_data_quality_range')),
    sa.ForeignKeyConstraint(['evaluator_id'], ['users.id'], name=op.f('fk_indicator_scores_evaluator_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_scores_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['period_id'], ['reporting_periods.id'], name=op.f('fk_indicator_scores_period_id_reporting_periods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_scores')),
    sa.UniqueConstraint('indicator_id', 'period_id', 'evaluator_id', name=op.f('uq_indicator_scores_indicator_id'))
    )
    with op.batch_alter_table('indicator_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_scores_evaluator_id'), ['evaluator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_scores_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_scores_period_id'), ['period_id'], unique=False)

    op.create_table('recommendation_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_id', sa.Integer(), nullable=False),
    sa.Column('second_id', sa.Integer(), nullable=False),
    sa.Column('similarity', sa.Numeric(precision=4, scale=3), nullable=False),
    sa.Column('state', sa.Enum('suggested', 'confirmed', 'rejected', name='recommendation_link_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('first_id < second_id', name=op.f('ck_recommendation_links_ordered_pair')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_recommendation_links_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['first_id'], ['recommendations.id'], name=op.f('fk_recommendation_links_first_id_recommendations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['second_id'], ['recommendations.id'], name=op.f('fk_recommendation_links_second_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_links')),
    sa.UniqueConstraint('first_id', 'second_id', name=op.f('uq_recommendation_links_first_id'))
    )
    with op.batch_alter_table('recommendation_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_links_first_id'), ['first_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_links_second_id'), ['second_id'], unique=False)

    op.create_table('recommendation_themes',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.Enum('research', 'youth', 'women', 'religious_leaders', 'online', 'media', 'prisons', 'migrants', 'returnees', 'border_management', 'national_strategy', 'regional_cooperation', 'civil_society', 'governance_human_rights', 'training', 'donor_coordination', 'law_enforcement', 'families', name='recommendation_theme', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_themes_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', 'theme', name=op.f('pk_recommendation_themes'))
    )
    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['disaggregation_categories.id'], name=op.f('fk_targets_category_id_disaggregation_categories'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_targets_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['period_id'], ['reporting_periods.id'], name=op.f('fk_targets_period_id_reporting_periods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('indicator_id', 'period_id', 'category_id', name=op.f('uq_targets_indicator_id'))
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targets_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_targets_period_id'), ['period_id'], unique=False)

    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gcts_pillars', sa.JSON(), nullable=False))
        batch_op.add_column(sa.Column('poa_priorities', sa.JSON(), nullable=False))
        batch_op.add_column(sa.Column('target_groups', sa.JSON(), nullable=False))
        batch_op.add_column(sa.Column('drivers', sa.JSON(), nullable=False))
        batch_op.add_column(sa.Column('levels', sa.JSON(), nullable=False))
    _insert_reference_data()


def downgrade() -> None:
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_column('levels')
        batch_op.drop_column('drivers')
        batch_op.drop_column('target_groups')
        batch_op.drop_column('poa_priorities')
        batch_op.drop_column('gcts_pillars')

    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_period_id'))
        batch_op.drop_index(batch_op.f('ix_targets_indicator_id'))

    op.drop_table('targets')
    op.drop_table('recommendation_themes')
    with op.batch_alter_table('recommendation_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_links_second_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_links_first_id'))

    op.drop_table('recommendation_links')
    with op.batch_alter_table('indicator_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_scores_period_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_scores_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_scores_evaluator_id'))

    op.drop_table('indicator_scores')
    op.drop_table('indicator_disaggregations')
    with op.batch_alter_table('followup_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followup_actions_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_followup_actions_action_date'))

    op.drop_table('followup_actions')
    with op.batch_alter_table('data_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_values_period_id'))
        batch_op.drop_index(batch_op.f('ix_data_values_indicator_id'))

    op.drop_table('data_values')
    with op.batch_alter_table('consensus_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consensus_scores_project_id'))

    op.drop_table('consensus_scores')
    with op.batch_alter_table('activity_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_participants_activity_id'))

    op.drop_table('activity_participants')
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risks_result_id'))
        batch_op.drop_index(batch_op.f('ix_risks_project_id'))

    op.drop_table('risks')
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendations_responsible_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_recommendations_event_id'))

    op.drop_table('recommendations')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_result_id'))
        batch_op.drop_index(batch_op.f('ix_indicators_project_id'))

    op.drop_table('indicators')
    with op.batch_alter_table('event_organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_organisations_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_event_organisations_event_id'))

    op.drop_table('event_organisations')
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_lines_result_id'))
        batch_op.drop_index(batch_op.f('ix_budget_lines_project_id'))

    op.drop_table('budget_lines')
    with op.batch_alter_table('assumptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assumptions_result_id'))

    op.drop_table('assumptions')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_start_date'))
        batch_op.drop_index(batch_op.f('ix_activities_result_id'))
        batch_op.drop_index(batch_op.f('ix_activities_project_id'))

    op.drop_table('activities')
    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_results_project_id'))
        batch_op.drop_index(batch_op.f('ix_results_parent_id'))

    op.drop_table('results')
    with op.batch_alter_table('reporting_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporting_periods_project_id'))

    op.drop_table('reporting_periods')
    with op.batch_alter_table('project_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_ratings_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_ratings_evaluator_id'))

    op.drop_table('project_ratings')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_start_date'))
        batch_op.drop_index(batch_op.f('ix_events_project_id'))
        batch_op.drop_index(batch_op.f('ix_events_end_date'))
        batch_op.drop_index(batch_op.f('ix_events_country'))

    op.drop_table('events')
    with op.batch_alter_table('programme_donors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_donors_programme_id'))
        batch_op.drop_index(batch_op.f('ix_programme_donors_organisation_id'))

    op.drop_table('programme_donors')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_user_id'))

    op.drop_table('notifications')
    with op.batch_alter_table('disaggregation_categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disaggregation_categories_type_id'))

    op.drop_table('disaggregation_categories')
    op.drop_table('disaggregation_types')
