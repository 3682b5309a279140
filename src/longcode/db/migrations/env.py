"""Alembic environment: runs on the connection `longcode.db.migrate` hands it."""

from __future__ import annotations

from alembic import context

from longcode.db.migrate import is_managed
from longcode.db.models import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=is_managed,
)
with context.begin_transaction():
    context.run_migrations()
