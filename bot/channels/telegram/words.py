"""What the gateway itself says (everything else comes from the assistant)."""

from __future__ import annotations

from datetime import datetime

from bot.linking.privacy import Forgotten
from bot.linking.service import LinkedAccount

TROUBLE = "I'm having trouble, please try again in a moment."

HOW_TO_LINK = (
    "To see your own renewal record here, link your account: ask NASM support or use the "
    "member portal for a Telegram link, then open it (or send /start followed by the code). "
    "Codes work once and expire after 15 minutes."
)

WELCOME = (
    "Hi! I'm the NASM-CPT renewal assistant. I can explain the renewal rules, deadlines, CEUs, "
    "CPR/AED and fees, and answer what-ifs."
)

HELP = (
    WELCOME
    + "\n\nTry: \"am I late?\", \"how many CEUs do I still need?\", \"what if I renew in May?\"\n\n"
    "Commands:\n"
    "/start CODE – link this Telegram account to your record\n"
    "/whoami – show which record this account is linked to\n"
    "/unlink – remove the link\n"
    "/stop – no more renewal reminders (/startreminders turns them back on)\n"
    "/restart – start the conversation over\n"
    "/calendar – your renewal deadlines as a calendar file\n"
    "/forget – delete our conversations and the link to your record\n"
    "/help – this message"
)

COMMANDS = (
    ("help", "What I can do"),
    ("start", "Start, or link your account with a code"),
    ("whoami", "Which record this account is linked to"),
    ("unlink", "Remove the link to your record"),
    ("stop", "Stop renewal reminders"),
    ("startreminders", "Turn renewal reminders back on"),
    ("restart", "Start the conversation over"),
    ("calendar", "Your renewal deadlines as a calendar file"),
    ("forget", "Delete our conversations and your link"),
)

NOT_LINKED = "This Telegram account is not linked to a trainer record.\n\n" + HOW_TO_LINK

CODE_NOT_FOUND = (
    "That link code isn't valid. Please check you opened the whole link, or ask for a new one."
)
CODE_EXPIRED = "That link code has expired (codes are valid for 15 minutes). Please ask for a new one."
CODE_USED = "That link code has already been used. Each code works once; please ask for a new one."

UNLINKED = "Done: this Telegram account is no longer linked, and I can't see your record here anymore."
NOT_LINKED_NOTHING_TO_UNLINK = "This Telegram account isn't linked to a record, so there's nothing to unlink."

RESTARTED = (
    "Okay, we start over: I won't use anything said before in this conversation. "
    "The messages stay in my conversation log until it is cleaned up; /forget deletes them now. "
    "Your account link stays (/unlink removes it). Send me a message any time."
)
RESTART_FAILED = "I couldn't start the conversation over just now; please send /restart again in a moment."

BUTTON_EXPIRED = "This button has expired, please ask again."

FORGET_CONFIRM_TITLE = "Yes, delete"
FORGET_CANCEL_TITLE = "No, keep them"
FORGET_ASK_LINKED = (
    "This deletes what I keep about our chats: the conversations of every account linked to your "
    "record, and the links themselves (you would need a new link code to see your record here). "
    "Your certification record itself stays with NASM. This cannot be undone. Delete now?"
)
FORGET_ASK_NOT_LINKED = (
    "This deletes the conversations I keep from this Telegram account (here and in groups). "
    "This cannot be undone. Delete now?"
)
FORGET_CANCELLED = "Okay, nothing was deleted."
FORGET_FAILED = "I couldn't finish deleting your data just now; please send /forget again in a moment."

UNSUPPORTED = (
    "I can only read text messages. Please type your question, for example \"am I late?\" "
    "or \"how many CEUs do I still need?\"."
)

GROUP_PRIVATE_ONLY = (
    "For anything about your own record, please message me in a private chat; "
    "in groups I only answer general questions."
)

GROUP_NO_LINKING = "Please send link codes and account commands to me in a private chat, never in a group."


def too_long(limit: int) -> str:
    return (
        f"Sorry, that message is too long for me (over {limit} characters). "
        "Please ask one short question at a time."
    )


def throttled(retry_after: datetime) -> str:
    return (
        "Too many wrong link codes were tried from this account. "
        f"Please wait until {retry_after:%H:%M} UTC and try again with a fresh link."
    )


def linked(account: LinkedAccount | None, trainer_id: str) -> str:
    name = account.name if account and account.name else trainer_id
    return (
        f"You're linked, {name}! I can now answer about your own record.\n"
        "Try \"am I late?\" or \"how many CEUs do I still need?\". /whoami shows the link, /unlink removes it."
    )


def whoami(account: LinkedAccount) -> str:
    lines = [f"This Telegram account is linked to {account.name or 'trainer'} ({account.trainer_id})."]
    for program, masked in account.credentials:
        lines.append(f"{program.upper()} credential no. {masked}")
    lines.append(f"Linked since {account.linked_at:%Y-%m-%d}. /unlink removes the link.")
    return "\n".join(lines)


def forgotten(result: Forgotten) -> str:
    events = f"{result.events} stored conversation event" + ("" if result.events == 1 else "s")
    if result.trainer_id is None:
        return f"Done: I deleted our conversations ({events}). Send me a message any time."
    links = len(result.accounts)
    return (
        f"Done: I deleted our conversations ({events}) and {links} account link"
        + ("" if links == 1 else "s")
        + " to your record. Your certification record stays with NASM. "
        "To see it here again, ask for a new link code."
    )
