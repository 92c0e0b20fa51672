"""Workforce, programme budget and participant tables."""

from alembic import op

from etl.warehouse.migrations import sql_of

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.execute(sql_of(__file__))
