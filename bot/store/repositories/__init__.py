"""Repositories of the record store, one module each.

A repository works on the session it is given and never commits; the unit of work does. Each
module's repository is declared on :class:`bot.store.unit_of_work.UnitOfWork` (and listed in
``bot.store.unit_of_work.REPOSITORIES``); a test fails when a module here is not.
"""
