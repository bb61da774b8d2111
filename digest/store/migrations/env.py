from alembic import context

from digest.store.search import outside_metadata
from digest.store.tables import metadata as digest_metadata
from subscribers.tables import metadata as subscribers_metadata

target_metadata = [subscribers_metadata, digest_metadata]
connection = context.config.attributes.get("connection")
if connection is None:  # `alembic revision --autogenerate` from a developer's shell
    from digest.store.db import make_engine

    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise SystemExit("alembic: set sqlalchemy.url to the database to compare the tables with")
    connection = make_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,
    include_name=outside_metadata,
)
with context.begin_transaction():
    context.run_migrations()
