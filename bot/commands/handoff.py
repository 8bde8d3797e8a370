"""``recert tickets`` and ``recert close-ticket``: the support staff's side of a handoff.

When the assistant should not answer (asked for a person, two misunderstandings in a row,
a lapsed credential) the ``action_handoff`` action opens a ticket; staff list the open ones
here, answer the trainer in the named conversation, and close the ticket.
"""

from __future__ import annotations

import argparse
from typing import Any

from bot.commands.records import uow_factory
from bot.handoff.service import close_ticket, list_open_tickets
from bot.settings import Settings


def register(subparsers: Any) -> None:
    tickets = subparsers.add_parser(
        "tickets",
        help="list the open handoff tickets (conversations waiting for a person)",
        description="Open handoff tickets, oldest first: number, when, conversation, trainer "
        "(if the chat is linked), reason and the last messages.",
    )
    tickets.set_defaults(handler=run_tickets)
    close = subparsers.add_parser("close-ticket", help="close a handoff ticket once answered")
    close.add_argument("ticket_id", type=int, metavar="NUMBER")
    close.set_defaults(handler=run_close_ticket)


def run_tickets(args: argparse.Namespace, settings: Settings) -> int:
    open_tickets = list_open_tickets(uow_factory(settings)())
    if not open_tickets:
        print("No open tickets.")
        return 0
    for ticket in sorted(open_tickets, key=lambda t: t.created_at):
        print(
            f"#{ticket.id}  {ticket.created_at:%Y-%m-%d %H:%M} UTC  {ticket.sender}  "
            f"trainer {ticket.trainer_id or '(not linked)'}  reason: {ticket.reason}"
        )
        for line in ticket.transcript.splitlines():
            print(f"    > {line}")
    return 0


def run_close_ticket(args: argparse.Namespace, settings: Settings) -> int:
    ticket = close_ticket(uow_factory(settings)(), args.ticket_id)
    print(f"Closed ticket #{ticket.id} ({ticket.sender}).")
    return 0
