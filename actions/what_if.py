"""What if: "my cert expires June 3 and I have 1.2 CEUs". Nothing is stored."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import words
from actions.amounts import parse_ceus
from actions.base import RecertAction
from actions.dates import Preference, parse_user_date
from actions.words import ceus, day, money, relative_days
from rules.model import Assessment, Phase

EXAMPLE = '"my cert expires June 3 and I have 1.2 CEUs"'
# "expires June 3" said in November means next June; "expired June 3" means the last one.
PAST_TENSE = re.compile(r"\b(expired|lapsed|ran out|was due)\b", re.IGNORECASE)
FUTURE_TENSE = re.compile(r"\b(expires|expiring|will expire|runs out|is due|due on)\b", re.IGNORECASE)


def date_preference(message: str | None) -> Preference:
    """Which reading of a date without a year the trainer's own verb points to."""
    text = message or ""
    if PAST_TENSE.search(text):
        return "past"
    if FUTURE_TENSE.search(text):
        return "future"
    return "nearest"


def _latest(tracker: Tracker, name: str) -> str | None:
    value = next(tracker.get_latest_entity_values(name), None) or tracker.get_slot(name)
    return str(value).strip() if value else None


class ActionWhatIf(RecertAction):
    def name(self) -> str:
        return "action_what_if"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        date_text, amount_text = _latest(tracker, "date"), _latest(tracker, "ceu_amount")
        caller = await self.caller(tracker)  # only for the trainer's own "today"
        prefer = date_preference(tracker.latest_message.get("text"))
        expires_on = parse_user_date(date_text, caller.today, prefer) if date_text else None
        earned = parse_ceus(amount_text)
        missing = []
        if expires_on is None:
            missing.append("your certification's expiration date")
        if earned is None:
            missing.append("how many CEUs you have so far")
        if missing:
            unread = (
                f'I couldn\'t read "{date_text}" as a date. ' if date_text and expires_on is None else ""
            )
            dispatcher.utter_message(
                text=f"{unread}To work it out I need {' and '.join(missing)}, for example {EXAMPLE}."
            )
            events: list[EventType] = []
            if date_text and expires_on is None:
                events.append(SlotSet("date", None))
            return events
        assert expires_on is not None and earned is not None
        a = self.rules.what_if(self.policy, expires_on, earned, caller.today)
        dispatcher.utter_message(text=self._words(a, earned))
        return [SlotSet("date", None), SlotSet("ceu_amount", None)]

    def _words(self, a: Assessment, earned) -> str:  # type: ignore[no-untyped-def]
        grace = f"because CE completed up to {self.policy.ce_grace_days} days after expiration still counts"
        verb = "expires" if a.days_until_expiration >= 0 else "expired"
        text = (
            f"If your certification {verb} on {day(a.expires_on)} and you have {ceus(earned)}: "
        )
        if a.phase is Phase.LAPSED:
            return text + (
                f"it could only have been renewed until {day(a.application_deadline)}; now it "
                "would have to be restored. Please contact NASM, or I can hand you to a person."
            )
        if not a.renewable:
            return text + (
                f"continuing education had to be completed by {day(a.ce_deadline)}; anything later "
                "can't count, so it couldn't be renewed online."
            )
        if a.ceus_remaining > 0:
            text += (
                f"you'd still need {ceus(a.ceus_remaining)} ({words.format_ceus(self.policy.cpr_aed_ceus)} of the {words.format_ceus(a.ceus_required)} "
                "comes from a current adult CPR/AED card with a hands-on part). "
            )
        else:
            text += f"you'd have the {ceus(a.ceus_required)} you need. "
        if a.phase is Phase.ACTIVE:
            text += (
                f"Renew by {day(a.expires_on)} ({relative_days(a.days_until_expiration)}) for "
                f"{money(a.fees.total)}, with no late fee; CE completed up to {day(a.ce_deadline)} "
                f"still counts, {grace}, but then a late fee applies."
            )
        elif a.phase is Phase.LATE_FEE:
            text += (
                f"You could still renew with a {money(a.fees.late)} late fee ({money(a.fees.total)} "
                f"in all) until {day(a.late_fee_deadline)}; CE completed up to {day(a.ce_deadline)} "
                f"still counts, {grace}."
            )
        else:
            text += (
                f"You could still renew until {day(a.application_deadline)} with a "
                f"{money(a.fees.late)} late fee ({money(a.fees.total)} in all)."
            )
        return f"{text} {words.MONEY_NOTE}"
