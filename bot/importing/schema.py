"""The import format as pydantic 1.10 models (see ARCHITECTURE.md, "Import format").

Every field is checked here, before anything is written: dates must be real ISO dates, CEUs
non-negative decimals with at most one decimal place (never read through a float), statuses and
plans from their enums, time zones known to ``zoneinfo``, programs known to the rules engine.
Unknown keys are refused, so a typo cannot silently drop a value.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, StrictBool, constr, root_validator, validator

from rules.decimals import Amount
from rules.errors import PolicyError
from rules.model import CEStatus, Plan
from rules.policy import load_policy

MAX_CEUS = Decimal("999.9")  # NUMERIC(4, 1) in the store

# Text fields hold no control characters: PostgreSQL refuses NUL, and none belongs in a name or title.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"
if TYPE_CHECKING:  # constr() makes classes at run time; to a type checker they are text
    Id = str
    Text = str
    Program = str
    ShortText = str
else:
    Id = constr(strip_whitespace=True, min_length=1, max_length=64, regex=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    Text = constr(strip_whitespace=True, min_length=1, max_length=500, regex=NO_CONTROL_CHARACTERS)
    Program = constr(strip_whitespace=True, min_length=1, max_length=64, regex=NO_CONTROL_CHARACTERS)
    ShortText = constr(strip_whitespace=True, min_length=1, max_length=64, regex=NO_CONTROL_CHARACTERS)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class IsoDate(date):
    """A calendar date written ``YYYY-MM-DD`` (a YAML date or a string), never a number."""

    @classmethod
    def __get_validators__(cls):
        yield cls.validate

    @classmethod
    def validate(cls, value: Any) -> date:
        if isinstance(value, datetime):
            raise ValueError("must be a date (YYYY-MM-DD), not a date and time")
        if isinstance(value, date):
            return value
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError("must be a date written YYYY-MM-DD")
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"{value.strip()!r} is not a real date ({exc})") from None


class Ceus(Amount):
    """A non-negative CEU amount with at most one decimal place, read from its text."""

    maximum = MAX_CEUS
    places = 1
    expected = "must be a number of CEUs such as 0.5"
    unit = " of CEUs"
    places_hint = " (CEUs come in tenths: 0.1 = 1 contact hour)"


class _Model(BaseModel):
    class Config:
        extra = "forbid"
        anystr_strip_whitespace = True


def _none_as_empty(value: Any) -> Any:
    return [] if value is None else value


class CourseIn(_Model):
    id: Id
    title: Text
    provider: Text
    ceus: Ceus


class ProviderIn(_Model):
    name: Text
    approved: StrictBool


class CredentialIn(_Model):
    program: Program
    number: ShortText | None = None
    certified_on: IsoDate | None = None
    expires_on: IsoDate
    plan: Plan = Plan.STANDARD

    @validator("program")
    def _known_program(cls, program: str) -> str:  # noqa: N805
        try:
            load_policy(program)
        except PolicyError:
            raise ValueError(f"unknown program {program!r} (no renewal policy for it)") from None
        return program

    @validator("expires_on")
    def _expires_after_certified(cls, expires_on: date, values: dict[str, Any]) -> date:  # noqa: N805
        certified_on = values.get("certified_on")
        if certified_on is not None and expires_on <= certified_on:
            raise ValueError(
                f"{expires_on.isoformat()} is not after certified_on ({certified_on.isoformat()})"
            )
        return expires_on


class CprAedIn(_Model):
    provider: Text
    issued_on: IsoDate | None = None
    expires_on: IsoDate
    hands_on: StrictBool

    @validator("expires_on")
    def _expires_after_issued(cls, expires_on: date, values: dict[str, Any]) -> date:  # noqa: N805
        issued_on = values.get("issued_on")
        if issued_on is not None and expires_on < issued_on:
            raise ValueError(
                f"{expires_on.isoformat()} is before issued_on ({issued_on.isoformat()})"
            )
        return expires_on


class CERecordIn(_Model):
    """A catalog course by ``course`` id, or a free-standing course by ``title`` and ``provider``."""

    course: Id | None = None
    title: Text | None = None
    provider: Text | None = None
    completed_on: IsoDate
    ceus: Ceus | None = None  # default for a catalog course: the catalog's CEUs
    status: CEStatus
    counted_for: IsoDate | None = None  # expiration date of the cycle whose renewal used it

    @root_validator(skip_on_failure=True)
    def _course_or_title(cls, values: dict[str, Any]) -> dict[str, Any]:  # noqa: N805
        if values.get("course") is None:
            missing = [f for f in ("title", "provider", "ceus") if values.get(f) is None]
            if missing:
                raise ValueError(
                    f"give course (a catalog id), or title, provider and ceus (missing: {', '.join(missing)})"
                )
        return values


class ApplicationIn(_Model):
    program: Program
    submitted_on: IsoDate
    audit_selected_on: IsoDate | None = None
    audit_documents_submitted_on: IsoDate | None = None
    for_expiration: IsoDate | None = None  # expiration date of the cycle it renews

    @validator("audit_selected_on")
    def _selected_after_submission(cls, selected: date | None, values: dict[str, Any]) -> date | None:  # noqa: N805
        submitted = values.get("submitted_on")
        if selected is not None and submitted is not None and selected < submitted:
            raise ValueError(
                f"{selected.isoformat()} is before submitted_on ({submitted.isoformat()})"
            )
        return selected

    @validator("audit_documents_submitted_on")
    def _documents_after_selection(cls, documents: date | None, values: dict[str, Any]) -> date | None:  # noqa: N805
        if documents is None:
            return None
        if "audit_selected_on" not in values:
            return documents  # audit_selected_on itself was invalid and is reported
        selected = values["audit_selected_on"]
        if selected is None:
            raise ValueError("given, but the application has no audit_selected_on")
        if documents < selected:
            raise ValueError(
                f"{documents.isoformat()} is before audit_selected_on ({selected.isoformat()})"
            )
        return documents


class TrainerIn(_Model):
    id: Id
    name: Text
    email: Text | None = None
    timezone: ShortText
    credentials: list[CredentialIn] = []
    cpr_aed: list[CprAedIn] = []
    ce_records: list[CERecordIn] = []
    applications: list[ApplicationIn] = []
    # links the trainer to this Telegram account, as a completed deep link would
    telegram_user_id: str | None = None
    reminders: StrictBool | None = None  # false: opted out of reminders; absent: unchanged

    _lists = validator(
        "credentials", "cpr_aed", "ce_records", "applications", pre=True, allow_reuse=True
    )(_none_as_empty)

    @validator("telegram_user_id", pre=True)
    def _telegram_user(cls, value: Any) -> str | None:  # noqa: N805
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError("must be a Telegram user id (a positive whole number)")
        text = str(value).strip()
        if not re.fullmatch(r"[1-9][0-9]{0,15}", text):
            raise ValueError("must be a Telegram user id (a positive whole number)")
        return text

    @validator("email")
    def _email(cls, email: str | None) -> str | None:  # noqa: N805
        if email is not None and not _EMAIL.match(email):
            raise ValueError("is not an e-mail address")
        return email

    @validator("timezone")
    def _known_zone(cls, name: str) -> str:  # noqa: N805
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {name!r} (use an IANA name such as America/Chicago)"
            ) from None
        return name


class ImportFile(_Model):
    courses: list[CourseIn] = []
    providers: list[ProviderIn] = []
    trainers: list[TrainerIn] = []

    _lists = validator("courses", "providers", "trainers", pre=True, allow_reuse=True)(
        _none_as_empty
    )

    @validator("trainers")
    def _one_trainer_per_telegram_account(cls, trainers: list[TrainerIn]) -> list[TrainerIn]:  # noqa: N805
        seen: dict[str, str] = {}
        for trainer in trainers:
            user = trainer.telegram_user_id
            if user is None:
                continue
            if user in seen and seen[user] != trainer.id:
                raise ValueError(
                    f"telegram_user_id {user} is given for both {seen[user]} and {trainer.id}; "
                    "a Telegram account links to one trainer"
                )
            seen[user] = trainer.id
        return trainers
