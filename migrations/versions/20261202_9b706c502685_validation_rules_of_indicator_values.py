"""Validation rules of indicator values: bounds, whole numbers, negatives, shares over 100 %.

Existing indicators keep no bounds and refuse negative values and shares over the whole, as
every new indicator does by default.

Revision ID: 9b706c502685
Revises: 530b2b7b80cf
Create Date: 2026-12-02 20:46:52.336319
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '9b706c502685'
down_revision: str | None = '530b2b7b80cf'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_value', sa.Numeric(precision=18, scale=4), nullable=True))
        batch_op.add_column(sa.Column('max_value', sa.Numeric(precision=18, scale=4), nullable=True))
        batch_op.add_column(sa.Column('whole_numbers', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('allow_negative', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('allow_over_whole', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_column('allow_over_whole')
        batch_op.drop_column('allow_negative')
        batch_op.drop_column('whole_numbers')
        batch_op.drop_column('max_value')
        batch_op.drop_column('min_value')

