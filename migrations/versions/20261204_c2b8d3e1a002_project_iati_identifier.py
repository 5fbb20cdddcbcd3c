"""Projects: an IATI identifier for export and import

Revision ID: c2b8d3e1a002
Revises: b5e1c0a7d2f4
Create Date: 2026-12-04 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c2b8d3e1a002'
down_revision: str | None = 'b5e1c0a7d2f4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('iati_identifier', sa.String(length=150), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_projects_iati_identifier'),
                                          ['iati_identifier'])


def downgrade() -> None:
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_projects_iati_identifier'), type_='unique')
        batch_op.drop_column('iati_identifier')
