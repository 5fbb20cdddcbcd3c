"""Result themes: the themes of the indicator bank a result is about, saved with the result

Revision ID: c6f7a8b9a006
Revises: c1a9e2f0a001
Create Date: 2026-12-04 13:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c6f7a8b9a006'
down_revision: str | None = 'c1a9e2f0a001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('result_themes',
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.Enum('youth', 'women', 'religious_leaders', 'online', 'prisons_rehabilitation', 'returnees', 'migrants', 'community_resilience', 'institutional_capacity', 'strategy_coordination', 'do_no_harm', name='result_theme', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['result_id'], ['results.id'], name=op.f('fk_result_themes_result_id_results'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('result_id', 'theme', name=op.f('pk_result_themes'))
    )


def downgrade() -> None:
    op.drop_table('result_themes')
