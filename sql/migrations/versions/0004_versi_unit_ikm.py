"""SCD2 versions of IKM units kept narrow; core.dim_unit_ikm becomes a view."""

from alembic import op

from etl.warehouse.migrations import sql_of

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.execute(sql_of(__file__))
