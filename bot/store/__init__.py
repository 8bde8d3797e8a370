"""The record store: SQLAlchemy 1.4 (2.0 style) over SQLite or PostgreSQL, Alembic migrations.

- ``bot.composition.build(settings)``: the units of work every entry point uses (engine and session
  factory made once per database and process by ``bot.store.bootstrap``; migrations applied once).
- ``bot.store.unit_of_work.SqlAlchemyUnitOfWork(session_factory)``: ``with uow:`` opens a
  session; ``uow.trainers`` / ``uow.catalog`` (and any repository module added under
  ``bot/store/repositories/``) work in it; ``uow.commit()`` or everything is rolled back.
- ``bot.store.models``: the schema (``metadata``); a change needs a migration.

See ``bot/store/README.md``.
"""
