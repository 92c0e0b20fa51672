"""Schemas, reference dimensions, audit trail, unit_ikm tables."""

from alembic import op

from etl.warehouse.migrations import sql_of

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.execute(sql_of(__file__))
