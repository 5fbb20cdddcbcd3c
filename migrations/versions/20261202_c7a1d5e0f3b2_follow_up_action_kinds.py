"""Follow-up action kinds that say what came of a recommendation: policy or law adopted, plan or
strategy adopted, funding committed, programme or project launched, training or service
delivered, research published, institution created, meeting or event held, other.

Existing actions keep their meaning: a project launched is a programme or project launched, an
activity held is a training or service delivered, a document published is research published.

Revision ID: c7a1d5e0f3b2
Revises: 74e3dfbbfd9f
Create Date: 2026-12-02 21:12:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c7a1d5e0f3b2'
down_revision: str | None = '74e3dfbbfd9f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ['project_launched', 'activity_held', 'policy_adopted', 'funding_committed',
       'institution_created', 'document_published', 'meeting_held', 'other']
NEW = ['policy_adopted', 'plan_adopted', 'funding_committed', 'programme_launched',
       'training_delivered', 'research_published', 'institution_created', 'meeting_held',
       'other']
RENAMED = {'project_launched': 'programme_launched', 'activity_held': 'training_delivered',
           'document_published': 'research_published'}
CONSTRAINT = 'followup_action_kind'


def _check(values: list[str]) -> str:
    return "kind IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _rename(mapping: dict[str, str]) -> None:
    for old, new in mapping.items():
        op.execute(sa.text("UPDATE followup_actions SET kind = :new WHERE kind = :old")
                   .bindparams(new=new, old=old))


def upgrade() -> None:
    with op.batch_alter_table('followup_actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(f'ck_followup_actions_{CONSTRAINT}'), type_='check')
    _rename(RENAMED)
    with op.batch_alter_table('followup_actions', schema=None) as batch_op:
        batch_op.create_check_constraint(CONSTRAINT, _check(NEW))


def downgrade() -> None:
    with op.batch_alter_table('followup_actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(f'ck_followup_actions_{CONSTRAINT}'), type_='check')
    _rename({new: old for old, new in RENAMED.items()})
    op.execute("UPDATE followup_actions SET kind = 'other' WHERE kind = 'plan_adopted'")
    with op.batch_alter_table('followup_actions', schema=None) as batch_op:
        batch_op.create_check_constraint(CONSTRAINT, _check(OLD))
