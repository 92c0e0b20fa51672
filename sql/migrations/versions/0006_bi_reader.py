"""The bi_reader role and the bookkeeping of materialized marts."""

from alembic import op

from etl.warehouse.migrations import sql_of

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.execute(sql_of(__file__))
