"""audit.run becomes audit.proses_hari (the naming rule)."""

from alembic import op

from etl.warehouse.migrations import sql_of

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.execute(sql_of(__file__))
