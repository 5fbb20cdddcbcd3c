"""Who recorded a follow-up action (officers change only the actions they recorded), and the
event a follow-up meeting was, when PVE Track follows it too.

Existing actions take their recorder from the audit trail (the user of their creation event).

Revision ID: 530b2b7b80cf
Revises: 4d64951c3456
Create Date: 2026-12-02 20:38:51.406012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '530b2b7b80cf'
down_revision: str | None = '4d64951c3456'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('followup_actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_followup_actions_recorded_by_id_users'),
                                    'users', ['recorded_by_id'], ['id'], ondelete='SET NULL')
        batch_op.add_column(sa.Column('linked_event_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_followup_actions_linked_event_id_events'),
                                    'events', ['linked_event_id'], ['id'], ondelete='SET NULL')
    op.execute(
        "UPDATE followup_actions SET recorded_by_id = ("
        " SELECT a.user_id FROM audit_events a"
        " WHERE a.entity = 'followup_action' AND a.action = 'followup_action.create'"
        " AND a.entity_id = CAST(followup_actions.id AS VARCHAR(64)) ORDER BY a.id LIMIT 1)")


def downgrade() -> None:
    with op.batch_alter_table('followup_actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_followup_actions_linked_event_id_events'),
                                 type_='foreignkey')
        batch_op.drop_column('linked_event_id')
        batch_op.drop_constraint(batch_op.f('fk_followup_actions_recorded_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('recorded_by_id')
