"""Forgetting a person and pruning old conversations: plain use cases over the store and the log.

``forget_trainer`` (``recert forget TRAINER_ID``) and ``forget_account`` (a trainer's confirmed
``/forget`` in chat) delete the conversations Rasa keeps for every account of the trainer, and
the accounts' links; the certification record the body owns stays (see
``bot/store/repositories/privacy.py`` for what the record store gives up). ``prune`` deletes
conversation events and issued buttons older than a cutoff.

The conversation log and the record store may be two databases, so the two deletions cannot
share a transaction: the log goes first, and the store commits only once it is done. A failure
leaves the links in place, and running the same request again finishes the job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.errors import UnknownTrainer
from bot.store.conversations import like_literal

if TYPE_CHECKING:
    from bot.store.unit_of_work import UnitOfWork

TERMINAL = "terminal"
TELEGRAM = "telegram"


class ConversationStore(Protocol):
    def delete_conversations(self, senders: Sequence[str], sender_patterns: Sequence[str] = ()) -> int: ...

    def delete_before(self, cutoff: datetime) -> int: ...


@dataclass(frozen=True)
class Forgotten:
    trainer_id: str | None
    accounts: tuple[str, ...]  # "telegram:42": the accounts whose conversations and links went
    events: int  # conversation events deleted


@dataclass(frozen=True)
class Pruned:
    cutoff: datetime
    events: int
    buttons: int


def conversation_senders(channel: str, user_id: str) -> tuple[list[str], list[str]]:
    """The Rasa sender ids an account talks under: ``<channel>:<user>`` in private, and
    ``<channel>-group:<chat>:<user>`` in groups (as LIKE patterns); see ``bot/channels``."""
    return [f"{channel}:{user_id}"], [f"{like_literal(channel)}-group:%:{like_literal(user_id)}"]


def forget_trainer(uow: UnitOfWork, conversations: ConversationStore, trainer_id: str) -> Forgotten:
    """Delete the trainer's conversations on every account and the accounts' links."""
    with uow:
        if not uow.trainers.exists(trainer_id):
            raise UnknownTrainer(f"no trainer with id {trainer_id!r} in the record store")
        accounts = uow.privacy.accounts_of(trainer_id)
        forgotten = _forget(uow, conversations, trainer_id, accounts)
        uow.commit()
    return forgotten


def forget_account(uow: UnitOfWork, conversations: ConversationStore, channel: str, user_id: str) -> Forgotten:
    """A person's own request from a channel account: their trainer's everything when the account
    is linked, else this account's conversations (and link attempts)."""
    with uow:
        trainer_id = uow.identities.trainer_for(channel, user_id)
        accounts = [(channel, user_id)]
        if trainer_id is not None:
            accounts = uow.privacy.accounts_of(trainer_id)
        forgotten = _forget(uow, conversations, trainer_id, accounts)
        uow.commit()
    return forgotten


def _forget(
    uow: UnitOfWork, conversations: ConversationStore, trainer_id: str | None, accounts: list[tuple[str, str]]
) -> Forgotten:
    # `recert chat --as T-1001` talks as terminal:T-1001 (bot/channels/terminal.py).
    senders: list[str] = [f"{TERMINAL}:{trainer_id}"] if trainer_id is not None else []
    patterns: list[str] = []
    for channel, user_id in accounts:
        exact, like = conversation_senders(channel, user_id)
        senders += exact
        patterns += like
        uow.privacy.erase_account(channel, user_id)
        if channel == TELEGRAM and user_id.lstrip("-").isdigit():
            # A private chat's id is the user's id: the webhook inbox keeps its handled updates a while.
            uow.telegram_updates.delete_handled_for_chat(int(user_id))
    if trainer_id is not None:
        uow.privacy.erase_link_codes(trainer_id)
    uow.privacy.erase_transcripts(trainer_id, senders)
    events = conversations.delete_conversations(senders, patterns)
    return Forgotten(trainer_id=trainer_id, accounts=tuple(f"{c}:{u}" for c, u in accounts), events=events)


def prune(
    uow: UnitOfWork, conversations: ConversationStore, now: datetime, older_than: timedelta
) -> Pruned:
    """Delete conversation events and issued buttons older than ``older_than``."""
    cutoff = now - older_than
    events = conversations.delete_before(cutoff)
    with uow:
        buttons = uow.buttons.delete_issued_before(cutoff)
        uow.commit()
    return Pruned(cutoff=cutoff, events=events, buttons=buttons)
