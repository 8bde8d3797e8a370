"""The record store: SQLAlchemy 1.4 (2.0 style) over SQLite or PostgreSQL, Alembic migrations.

- ``bot.store.bootstrap.make_session_factory(database_url, migrate=True)``: the one place an
  engine is made; applies pending migrations.
- ``bot.store.unit_of_work.SqlAlchemyUnitOfWork(session_factory)``: ``with uow:`` opens a
  session; ``uow.trainers`` / ``uow.catalog`` (and any repository module added under
  ``bot/store/repositories/``) work in it; ``uow.commit()`` or everything is rolled back.
- ``bot.store.models``: the schema (``metadata``); a change needs a migration.

See ``bot/store/README.md``.
"""
