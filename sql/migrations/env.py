"""Alembic environment: runs the numbered SQL migrations on the connection it is handed."""

from alembic import context
from sqlalchemy import text

connection = context.config.attributes["connection"]
# The version table lives in `audit`; it must exist before Alembic looks for the table.
connection.execute(text("create schema if not exists audit"))
context.configure(connection=connection, version_table_schema="audit", transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
