"""Alembic's environment: migrations run on the connection `engine.upgrade` hands over."""

from __future__ import annotations

from alembic import context

from spinecheck.adapters.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the migrations through spinecheck.adapters.storage.engine.upgrade")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
