"""Accepted exceptions to validation rules: a manager's reason, name and time on a value.

Revision ID: 74e3dfbbfd9f
Revises: 9b706c502685
Create Date: 2026-12-02 20:49:19.253622
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = '74e3dfbbfd9f'
down_revision: str | None = '9b706c502685'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('data_values', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule_exception', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('rule_exception_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rule_exception_at', app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_data_values_rule_exception_by_id_users'), 'users', ['rule_exception_by_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('data_values', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_data_values_rule_exception_by_id_users'), type_='foreignkey')
        batch_op.drop_column('rule_exception_at')
        batch_op.drop_column('rule_exception_by_id')
        batch_op.drop_column('rule_exception')

