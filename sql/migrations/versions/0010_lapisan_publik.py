"""The public layer: schema publik, its reader and its snapshot tables."""

from alembic import op

from etl.warehouse.migrations import sql_of

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.execute(sql_of(__file__))
