"""Staging table per validation batch; queue of units whose SCD2 history awaits rebuild."""

from alembic import op

from etl.warehouse.migrations import sql_of

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.execute(sql_of(__file__))
