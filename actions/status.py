"""Where the trainer stands: am I late, expiration, CEUs remaining, steps, can I renew, late fee."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import words
from actions.base import Caller, RecordAction
from actions.words import ceus, day, money, program_name, relative_days
from rules.model import Assessment, CprAedStatus, Phase, Plan
from rules.policy import Policy

GRACE_RULE = "because CE completed up to {days} days after expiration still counts"


def _expiry_sentence(a: Assessment) -> str:
    name = program_name(a.program)
    if a.days_until_expiration >= 0:
        return f"Your {name} certification expires on {day(a.expires_on)} ({relative_days(a.days_until_expiration)})."
    return f"Your {name} certification expired on {day(a.expires_on)} ({relative_days(a.days_until_expiration)})."


def _cpr_sentence(a: Assessment, policy: Policy) -> str:
    cpr = a.cpr_aed
    card_ceus = ceus(policy.cpr_aed_ceus)
    if cpr.status is CprAedStatus.VALID:
        until = f", valid until {day(cpr.expires_on)}" if cpr.expires_on else ""
        return f"That includes {card_ceus} for your CPR/AED card ({cpr.provider or 'on record'}{until})."
    if cpr.status is CprAedStatus.EXPIRED:
        return (
            f"Your CPR/AED card expired on {day(cpr.expires_on)}, so it doesn't count: a current "
            f"adult CPR/AED card with a hands-on skills part gives the required {card_ceus}."
            if cpr.expires_on
            else "Your CPR/AED card has expired, so it doesn't count yet."
        )
    if cpr.status is CprAedStatus.NOT_HANDS_ON:
        return (
            "Your CPR/AED card was online-only, so it doesn't count: NASM needs a card with a "
            "hands-on skills part."
        )
    if cpr.status is CprAedStatus.NEEDS_CONFIRMATION:
        return (
            f"Your CPR/AED card is from {cpr.provider or 'a provider'}, which isn't on NASM's list of "
            f"accepted providers: confirm it with NASM member services before counting on its {card_ceus}."
        )
    return (
        "That doesn't include CPR/AED yet: a current adult CPR/AED card with a hands-on skills "
        f"part gives the required {card_ceus}."
    )


def _unrenewable(dispatcher: CollectingDispatcher, a: Assessment) -> None:
    dispatcher.utter_message(text=words.unrenewable_text(a), buttons=[words.handoff_button()])


class ActionAmILate(RecordAction):
    def name(self) -> str:
        return "action_am_i_late"

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        f = self.policy.fees
        dispatcher.utter_message(
            text=(
                "You're late once your certification's expiration date has passed. Up to "
                f"{self.policy.ce_grace_days} days after it you can still renew with a "
                f"{money(f.late_first_tier)} late fee; after that the late fee is "
                f"{money(f.late_second_tier)}, and after one year the certification can't be renewed."
            )
        )

    def personal(self, dispatcher, tracker, caller, a):  # type: ignore[no-untyped-def]
        if a.phase is Phase.ACTIVE:
            text = f"No, you're not late. {_expiry_sentence(a)}"
            if a.submitted_on:
                text += f" Your renewal application was received on {day(a.submitted_on)}."
            else:
                text += " Renew by then and there is no late fee."
            dispatcher.utter_message(text=text)
            return []
        if not a.renewable:
            _unrenewable(dispatcher, a)
            return []
        text = f"Yes. {_expiry_sentence(a)} "
        if a.phase is Phase.LATE_FEE:
            text += (
                f"You can still renew with a {money(a.fees.late)} late fee if NASM receives your "
                f"application by {day(a.late_fee_deadline)}; after that the late fee is "
                f"{money(self.policy.fees.late_second_tier)}. CE completed up to "
                f"{day(a.ce_deadline)} still counts, "
                + GRACE_RULE.format(days=self.policy.ce_grace_days)
                + "."
            )
        else:
            text += (
                f"You can still renew until {day(a.application_deadline)} with the "
                f"{money(a.fees.late)} late fee, because your continuing education was completed "
                f"by {day(a.ce_deadline)}."
            )
        dispatcher.utter_message(text=f"{text} {words.MONEY_NOTE}")
        return []


class ActionExpirationDate(RecordAction):
    answers_lapsed = True

    def name(self) -> str:
        return "action_expiration_date"

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        dispatcher.utter_message(
            text=(
                f"An NASM-CPT certification runs for {self.policy.cycle_years} years and is valid "
                "through the end of its expiration date, which is shown in your NASM portal."
            )
        )

    def personal(self, dispatcher, tracker, caller, a):  # type: ignore[no-untyped-def]
        text = _expiry_sentence(a)
        if a.phase is Phase.LAPSED:
            dispatcher.utter_message(text=words.lapsed_text(a), buttons=[words.handoff_button()])
            return []
        text += (
            f" Continuing education completed from {day(a.cycle_start)} up to "
            f"{day(a.ce_deadline)} counts for this cycle, "
            + GRACE_RULE.format(days=self.policy.ce_grace_days)
            + "."
        )
        dispatcher.utter_message(text=text)
        return []


class ActionCeusRemaining(RecordAction):
    def name(self) -> str:
        return "action_ceus_remaining"

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        p = self.policy
        dispatcher.utter_message(
            text=(
                f"You need {ceus(p.ceus_required)} every {p.cycle_years} years: up to "
                f"{ceus(p.ce_cap)} from approved courses and {ceus(p.cpr_aed_ceus)} from a current "
                "adult CPR/AED card with a hands-on skills part."
            )
        )

    def personal(self, dispatcher, tracker, caller, a):  # type: ignore[no-untyped-def]
        if not a.renewable:
            _unrenewable(dispatcher, a)
            return []
        if a.ceus_remaining > 0:
            text = (
                f"You have {format_of(a.ceus_earned)} of the {ceus(a.ceus_required)} you need, so "
                f"you still need {ceus(a.ceus_remaining)}."
            )
            if a.phase is Phase.ACTIVE:
                text += (
                    f" Finish by {day(a.expires_on)} to renew without a late fee; CE completed up to "
                    f"{day(a.ce_deadline)} still counts, "
                    + GRACE_RULE.format(days=self.policy.ce_grace_days)
                    + "."
                )
            else:
                text += (
                    f" It must be completed by {day(a.ce_deadline)}, "
                    + GRACE_RULE.format(days=self.policy.ce_grace_days)
                    + "."
                )
        else:
            text = f"You have all {ceus(a.ceus_required)} you need ({format_of(a.ceus_earned)} counted)."
        text += " " + _cpr_sentence(a, self.policy)
        if a.ceus_pending > 0:
            text += (
                f" {ceus(a.ceus_pending)} waiting on a petition doesn't count until NASM approves it."
            )
        if a.ce_counted_uncapped > a.ce_counted:
            text += (
                f" Only {ceus(self.policy.ce_cap)} of course CE can count; the extra doesn't carry "
                "over to the next cycle."
            )
        dispatcher.utter_message(text=text)
        return []


def format_of(value) -> str:  # type: ignore[no-untyped-def]
    """"1.4" (no unit: "You have 1.4 of the 2.0 CEUs")."""
    return words.format_ceus(value)


class ActionRenewalSteps(RecordAction):
    def name(self) -> str:
        return "action_renewal_steps"

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        p = self.policy
        dispatcher.utter_message(
            text=(
                "How to renew, step by step:\n"
                f"1. Earn {ceus(p.ceus_required)} in your {p.cycle_years}-year cycle: up to "
                f"{ceus(p.ce_cap)} from approved courses and {ceus(p.cpr_aed_ceus)} from a current "
                "adult CPR/AED card with a hands-on part.\n"
                "2. Upload certificates for non-NASM courses in the NASM portal (NASM courses are listed automatically).\n"
                f"3. Submit the renewal application with the {money(p.fees.renewal_standard)} fee "
                f"({money(p.fees.renewal_lifetime)} on Certify for Life) by your expiration date.\n"
                f"4. Keep your certificates: if picked for a random audit you have "
                f"{p.audit_response_days} days to send them.\n" + words.MONEY_NOTE
            )
        )

    def personal(self, dispatcher, tracker, caller, a):  # type: ignore[no-untyped-def]
        if not a.renewable:
            _unrenewable(dispatcher, a)
            return []
        if not a.next_steps:
            dispatcher.utter_message(
                text=f"Nothing is left for you to do for your {program_name(a.program)} renewal right now."
            )
            return []
        steps = "\n".join(f"{i}. {step}" for i, step in enumerate(a.next_steps, start=1))
        dispatcher.utter_message(
            text=f"Here's what's left for your {program_name(a.program)} renewal:\n{steps}"
        )
        return []


class ActionCanRenew(RecordAction):
    def name(self) -> str:
        return "action_can_renew"

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        p = self.policy
        dispatcher.utter_message(
            text=(
                "You can renew up to your expiration date without a late fee, and up to one year "
                "after it with a late fee, but only if all your continuing education was completed "
                f"by {p.ce_grace_days} days after expiration. After one year the certification "
                "can't be renewed and has to be restored."
            )
        )

    def personal(self, dispatcher, tracker, caller, a):  # type: ignore[no-untyped-def]
        if not a.renewable:
            _unrenewable(dispatcher, a)
            return []
        if a.submitted_on:
            dispatcher.utter_message(
                text=f"NASM received your renewal application on {day(a.submitted_on)}, so there's nothing more to submit."
            )
            return []
        fees = self._fees(a)
        if a.phase is Phase.ACTIVE:
            text = "Yes. " if a.ceus_remaining <= 0 else f"Yes, once you have the {ceus(a.ceus_remaining)} you still need. "
            text += (
                f"Renew by {day(a.expires_on)} to avoid a late fee. {fees} {words.MONEY_NOTE}"
            )
        else:
            text = (
                f"Yes, until {day(a.application_deadline)}: applications are accepted up to one year "
                f"after expiration when all continuing education was completed by {day(a.ce_deadline)}. "
            )
            if a.ceus_remaining > 0:
                text += f"You still need {ceus(a.ceus_remaining)}, completed by {day(a.ce_deadline)}. "
            text += f"{fees} {words.MONEY_NOTE}"
        dispatcher.utter_message(text=text)
        return []

    @staticmethod
    def _fees(a: Assessment) -> str:
        plan = " (Certify for Life)" if a.plan is Plan.LIFETIME else ""
        if a.fees.late:
            return (
                f"Applying today costs the {money(a.fees.renewal)} renewal fee{plan} plus a "
                f"{money(a.fees.late)} late fee, {money(a.fees.total)} in all."
            )
        return f"The renewal fee is {money(a.fees.renewal)}{plan}."


class ActionLateFee(RecordAction):
    def name(self) -> str:
        return "action_late_fee"

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        f = self.policy.fees
        dispatcher.utter_message(
            text=(
                f"NASM charges a {money(f.late_first_tier)} late fee for applications received up "
                f"to {self.policy.ce_grace_days} days after expiration, and {money(f.late_second_tier)} "
                f"(instead of {money(f.late_first_tier)}) from then until one year after expiration. "
                f"The renewal fee itself is {money(f.renewal_standard)} "
                f"({money(f.renewal_lifetime)} on Certify for Life). {words.MONEY_NOTE}"
            )
        )

    def personal(self, dispatcher, tracker, caller, a):  # type: ignore[no-untyped-def]
        if not a.renewable or a.fees.late is None:
            _unrenewable(dispatcher, a)
            return []
        f = self.policy.fees
        if a.submitted_on:
            text = (
                f"NASM received your application on {day(a.submitted_on)}, so the fee is set by that "
                f"date: late fee {money(a.fees.late)}, {money(a.fees.total)} in all."
            )
        elif a.phase is Phase.ACTIVE:
            text = (
                f"You're not late: there's no late fee if NASM receives your application by "
                f"{day(a.expires_on)}. After that it's {money(f.late_first_tier)} until "
                f"{day(a.late_fee_deadline)}, then {money(f.late_second_tier)} until "
                f"{day(a.application_deadline)}."
            )
        elif a.phase is Phase.LATE_FEE:
            text = (
                f"Your late fee is {money(a.fees.late)} on top of the {money(a.fees.renewal)} renewal "
                f"fee ({money(a.fees.total)} in all) if NASM receives your application by "
                f"{day(a.late_fee_deadline)}; after that the late fee is {money(f.late_second_tier)}."
            )
        else:
            text = (
                f"Your late fee is {money(a.fees.late)} on top of the {money(a.fees.renewal)} renewal "
                f"fee ({money(a.fees.total)} in all); NASM must receive your application by "
                f"{day(a.application_deadline)}."
            )
        dispatcher.utter_message(text=f"{text} {words.MONEY_NOTE}")
        return []
