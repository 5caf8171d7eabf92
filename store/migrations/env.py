"""Alembic environment: the engine (or an open connection) is handed over by store.db."""
from alembic import context

from store.models import Base

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = config.attributes["engine"]
    with engine.connect() as conn:
        _migrate(conn)
        conn.commit()


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


run()
