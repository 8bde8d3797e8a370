"""What a handoff says to the trainer and what the staff desk shows, as plain text.

Every text here is sent literally (never parsed as HTML or Markdown): whatever a trainer typed
is shown to staff exactly as typed, and the other way round.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import zone_of
from bot.handoff.hours import StaffHours
from bot.handoff.model import HandoffTicket
from bot.linking.service import mask_number
from rules.model import TrainerRecord

STAFF_LIMIT = 4096  # Telegram's message limit; a ticket post is cut to fit
PUSH_CHANNELS = ("telegram",)  # channels where a person's answer reaches the trainer by itself


def handed_off(
    ticket: HandoffTicket, hours: StaffHours, now: datetime, created: bool = True, trainer_zone: str | None = None
) -> str:
    """The trainer's answer to a handoff: the ticket, who answers where, and when.

    ``now`` is the project's clock (``bot.clock.now_in``: a frozen ``RECERT_TODAY`` included), so
    "they are not in right now" is true of the day the trainer is told it is. The hour staff start
    or finish is said in the trainer's own time (``trainer_zone``, from their record) when it is
    known, else in the staff's zone, named.
    """
    first = (
        f"I've passed your conversation to our support staff: ticket #{ticket.id}."
        if created
        else f"Your conversation is already with our support staff: ticket #{ticket.id}."
    )
    where = (
        "A person will answer you here in this chat, and what you write here now goes to them."
        if ticket.channel in PUSH_CHANNELS
        else "A person will pick it up; for an answer in a chat, write to us on Telegram."
    )
    if hours.is_open(now):
        when = (
            f"Staff are at work now ({hours.describe()}), so someone will look at it before they finish "
            f"at {_moment(hours.closing(now), hours, trainer_zone, with_day=False)}."
        )
    else:
        when = (
            f"Staff work {hours.describe()}; they are not in right now, so someone will look at it "
            f"from {_moment(hours.next_opening(now), hours, trainer_zone)}."
        )
    return f"{first} {where} {when} Until they close the ticket I'll stay quiet, so I don't talk over them."


def _moment(moment: datetime, hours: StaffHours, trainer_zone: str | None, with_day: bool = True) -> str:
    """"Monday, March 16 at 16:00 your time" in the trainer's zone; in the staff's zone, named, without one."""
    local = moment.astimezone(zone_of(trainer_zone) if trainer_zone else hours.tz)
    at = f"{local:%A, %B} {local.day} at {local:%H:%M}" if with_day else f"{local:%H:%M}"
    return f"{at} your time" if trainer_zone else f"{at} ({hours.zone} time)"


def ticket_post(ticket: HandoffTicket, trainer: TrainerRecord | None) -> str:
    """The ticket as one message for the staff desk (cut to Telegram's limit, transcript first to go)."""
    if trainer is None:
        who = "not linked to a record" if ticket.trainer_id is None else f"{ticket.trainer_id} (no record)"
    else:
        numbers = ", ".join(
            f"{c.program.upper()} no. {mask_number(c.number)}" for c in trainer.credentials
        ) or "no credential on file"
        who = f"{trainer.name or 'name not on file'} ({trainer.trainer_id}; {numbers})"
    head = [
        f"Ticket #{ticket.id} from {ticket.sender}, opened {ticket.created_at:%Y-%m-%d %H:%M} UTC",
        f"Trainer: {who}",
        f"Reason: {ticket.reason}",
    ]
    if ticket.assessment:
        head += ["", "Assessment:", ticket.assessment]
    tail = ["", "Reply to this message to answer the trainer; /resolve as a reply closes the ticket."]
    transcript = ["", "Transcript:", ticket.transcript or "(nothing typed)"]
    text = "\n".join(head + transcript + tail)
    if len(text) > STAFF_LIMIT:
        room = STAFF_LIMIT - len("\n".join(head + tail)) - len("\n\nTranscript:\n…")
        text = "\n".join(head + ["", "Transcript:", "…" + (ticket.transcript[-room:] if room > 0 else "")] + tail)
    return text[:STAFF_LIMIT]


def from_trainer(ticket_id: int, text: str) -> str:
    return f"#{ticket_id} trainer: {text}"[:STAFF_LIMIT]


def to_trainer(text: str) -> str:
    return f"Support staff: {text}"[:STAFF_LIMIT]


def answered_elsewhere(ticket_id: int, author: str, text: str) -> str:
    return f"#{ticket_id} answered by {author}: {text}"[:STAFF_LIMIT]


RESOLVED = (
    "Our support staff have closed your ticket #{id}. I'm back: ask me anything about your "
    "renewal, or say \"talk to a person\" to reach them again."
)


def resolved(ticket_id: int) -> str:
    return RESOLVED.format(id=ticket_id)


def resolved_note(ticket_id: int, author: str) -> str:
    return f"#{ticket_id} resolved by {author}: the assistant answers this trainer again."
