"""The kept unit rows without their NIB index, with the statistics the marts need."""

from alembic import op

from etl.warehouse.migrations import sql_of

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.execute(sql_of(__file__))
