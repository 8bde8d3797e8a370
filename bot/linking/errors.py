"""Why a link code was refused; the gateway turns each into a reply.

BotError
 └─ LinkError             a link code could not be redeemed
     ├─ CodeNotFound      no such code (mistyped, or never issued)
     ├─ CodeExpired       issued more than 15 minutes ago
     ├─ CodeAlreadyUsed   redeemed before (by this or another account)
     └─ TooManyAttempts   this account tried too many wrong codes; ``retry_after`` says until when
"""

from __future__ import annotations

from datetime import datetime

from bot.errors import BotError


class LinkError(BotError):
    """A link code could not be redeemed."""


class CodeNotFound(LinkError):
    """No such link code."""


class CodeExpired(LinkError):
    """The link code is past its expiry."""


class CodeAlreadyUsed(LinkError):
    """The link code was redeemed before."""


class TooManyAttempts(LinkError):
    """Too many failed attempts from this account; try again after ``retry_after``."""

    def __init__(self, retry_after: datetime) -> None:
        super().__init__(f"too many wrong link codes; try again after {retry_after:%H:%M} UTC")
        self.retry_after = retry_after
