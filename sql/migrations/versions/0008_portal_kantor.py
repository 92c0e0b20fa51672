"""The offices' portal: schema portal, and the template version of a submission."""

from alembic import op

from etl.warehouse.migrations import sql_of

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.execute(sql_of(__file__))
