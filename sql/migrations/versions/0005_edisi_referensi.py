"""Editions of the reference lists and region history; core.dim_wilayah becomes a view."""

from alembic import op

from etl.warehouse.migrations import sql_of

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.execute(sql_of(__file__))
