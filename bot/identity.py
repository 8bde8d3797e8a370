"""Signed identity metadata: who is behind a conversation.

The channel adapter decides who a user is from the channel's own authenticated
user id and signs ``{trainer_id, sender, issued_at}`` with HMAC-SHA256 under
``RECERT_IDENTITY_SECRET``. Actions accept the identity only when the signature
is valid, the sender matches the tracker's sender id, and it is fresh; anything
else (including whatever the user types) means "not linked".
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from typing import Any

IDENTITY_KEY = "identity"


def _payload(trainer_id: str, sender: str, issued_at: int) -> bytes:
    # Unit separators cannot appear in ids typed by people, so fields cannot be shifted.
    return "\x1f".join((trainer_id, sender, str(issued_at))).encode("utf-8")


def sign_identity(
    trainer_id: str, sender: str, secret: str, issued_at: int | None = None
) -> dict[str, Any]:
    """The identity object a channel adapter puts into the message metadata."""
    issued = int(time.time()) if issued_at is None else int(issued_at)
    signature = hmac.new(
        secret.encode("utf-8"), _payload(trainer_id, sender, issued), hashlib.sha256
    ).hexdigest()
    return {"trainer_id": trainer_id, "sender": sender, "issued_at": issued, "signature": signature}


def verify_identity(
    metadata: Mapping[str, Any] | None,
    sender_id: str,
    secret: str,
    max_age_seconds: int = 300,
    now: float | None = None,
) -> str | None:
    """The trainer id of a valid, fresh identity for ``sender_id``; None otherwise."""
    if not isinstance(metadata, Mapping):
        return None
    identity = metadata.get(IDENTITY_KEY)
    if not isinstance(identity, Mapping):
        return None
    trainer_id, sender = identity.get("trainer_id"), identity.get("sender")
    issued_at, signature = identity.get("issued_at"), identity.get("signature")
    if not (isinstance(trainer_id, str) and isinstance(sender, str) and isinstance(signature, str)):
        return None
    if isinstance(issued_at, bool) or not isinstance(issued_at, int):
        return None
    if sender != sender_id:
        return None
    current = time.time() if now is None else now
    if not -30 <= current - issued_at <= max_age_seconds:  # small allowance for clock skew
        return None
    expected = sign_identity(trainer_id, sender, secret, issued_at)["signature"]
    return trainer_id if hmac.compare_digest(expected, signature) else None
