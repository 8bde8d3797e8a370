"""``recert tickets list|show|reply|resolve``: the staff desk on the command line.

The same desk as the Telegram staff group (``bot.handoff.desk``): a reply goes through the relay
queue to the trainer in the channel they wrote from (and into the staff group's thread, so staff
there see it); ``resolve`` resumes the assistant in that conversation (Rasa must be up), closes
the ticket and tells the trainer. ``recert stats`` (``bot.commands.stats``) is registered here too.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.commands import stats
from bot.composition import build
from bot.handoff import words
from bot.handoff.desk import Conversations, StaffDesk
from bot.handoff.model import Audience, HandoffTicket
from bot.settings import Settings

T = TypeVar("T")


def register(subparsers: Any) -> None:
    tickets = subparsers.add_parser(
        "tickets",
        help="the staff desk: list, show, answer and resolve handoff tickets",
        description="Conversations handed to a person. Without a subcommand: the open tickets.",
    )
    tickets.set_defaults(handler=run_list)
    actions = tickets.add_subparsers(dest="tickets_command", metavar="SUBCOMMAND")
    actions.add_parser("list", help="the open tickets, oldest first").set_defaults(handler=run_list)
    show = actions.add_parser("show", help="a ticket: trainer, reason, assessment, transcript and thread")
    show.add_argument("ticket_id", type=int, metavar="NUMBER")
    show.set_defaults(handler=run_show)
    reply = actions.add_parser("reply", help="answer the trainer (delivered in the channel they wrote from)")
    reply.add_argument("ticket_id", type=int, metavar="NUMBER")
    reply.add_argument("text", nargs="+", metavar="TEXT")
    reply.add_argument("--as", dest="author", help="your name as staff see it (default: your login)")
    reply.set_defaults(handler=run_reply)
    resolve = actions.add_parser("resolve", help="close the ticket; the assistant answers the trainer again")
    resolve.add_argument("ticket_id", type=int, metavar="NUMBER")
    resolve.add_argument("--as", dest="author", help="your name as staff see it (default: your login)")
    resolve.set_defaults(handler=run_resolve)

    close = subparsers.add_parser("close-ticket", help="same as `recert tickets resolve`")
    close.add_argument("ticket_id", type=int, metavar="NUMBER")
    close.add_argument("--as", dest="author", help=argparse.SUPPRESS)
    close.set_defaults(handler=run_resolve)
    stats.register(subparsers)


def conversations(settings: Settings) -> Conversations:
    """The assistant's conversations over Rasa's HTTP API (tests replace this)."""
    from bot.channels.rasa_client import RasaClient
    from bot.handoff.conversations import RasaConversations

    return RasaConversations(RasaClient(settings.rasa_url, settings.rasa_token))


def with_desk(settings: Settings, use: Callable[[StaffDesk], Awaitable[T]]) -> T:
    """Run ``use(desk)`` on a desk over the settings' store and Rasa server, then close the client."""

    async def run() -> T:
        conversation_api = conversations(settings)
        try:
            return await use(StaffDesk(build(settings), conversation_api))
        finally:
            close = getattr(conversation_api, "aclose", None)
            if close is not None:
                await close()

    return asyncio.run(run())


def _author(args: argparse.Namespace) -> str:
    if getattr(args, "author", None):
        return str(args.author)
    try:
        return f"{getpass.getuser()} (command line)"
    except Exception:
        return "staff (command line)"


def _line(ticket: HandoffTicket) -> str:
    return (
        f"#{ticket.id}  {ticket.created_at:%Y-%m-%d %H:%M} UTC  {ticket.sender}  "
        f"trainer {ticket.trainer_id or '(not linked)'}  reason: {ticket.reason}"
    )


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    open_tickets = with_desk(settings, lambda d: d.open_tickets())
    if not open_tickets:
        print("No open tickets.")
        return 0
    for ticket in sorted(open_tickets, key=lambda t: t.created_at):
        print(_line(ticket))
        for line in ticket.transcript.splitlines()[-5:]:
            print(f"    > {line}")
    print("`recert tickets show NUMBER` shows a whole ticket.")
    return 0


def run_show(args: argparse.Namespace, settings: Settings) -> int:
    view = with_desk(settings, lambda d: d.show(args.ticket_id))
    ticket = view.ticket
    print(_line(ticket) + f"  [{ticket.status.value}]")
    if ticket.assessment:
        print("Assessment:")
        for line in ticket.assessment.splitlines():
            print(f"    {line}")
    print("Transcript:")
    for line in (ticket.transcript or "(nothing typed)").splitlines():
        print(f"    > {line}")
    thread = [m for m in view.thread if m.kind.value != "ticket"]
    if thread:
        print("Thread:")
    for message in thread:
        state = "delivered" if message.delivered_at else "waiting"
        arrow = "to staff  " if message.audience is Audience.STAFF else "to trainer"
        print(f"    {message.created_at:%Y-%m-%d %H:%M} {arrow} ({state}): {message.text}")
    return 0


def run_reply(args: argparse.Namespace, settings: Settings) -> int:
    text = " ".join(args.text).strip()
    ticket = with_desk(settings, lambda d: d.reply(args.ticket_id, text, _author(args), echo_to_staff=True))
    where = (
        "it is delivered by the Telegram gateway"
        if ticket.channel in words.PUSH_CHANNELS
        else f"the {ticket.channel} channel cannot receive messages from staff, so reach the trainer another way"
    )
    print(f"Queued your answer to ticket #{ticket.id} ({ticket.sender}); {where}.")
    return 0


def run_resolve(args: argparse.Namespace, settings: Settings) -> int:
    ticket = with_desk(settings, lambda d: d.resolve(args.ticket_id, _author(args)))
    print(f"Resolved ticket #{ticket.id} ({ticket.sender}): the assistant answers this trainer again.")
    return 0
