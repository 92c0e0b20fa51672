"""The open-data releases' record, immutable: audit.rilis_satu_data."""

from alembic import op

from etl.warehouse.migrations import sql_of

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.execute(sql_of(__file__))
