"""The rules engine as the actions use it.

Actions never compute policy numbers; they call these functions and word the result.
``EngineRules`` delegates to ``rules.engine``; it is also the seam through which a test
hands an action another engine (a subclass, e.g. one that knows a second program).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from rules import engine as rules_engine
from rules import scenarios
from rules.model import Assessment, CatalogCourse, Credential, Provider, TrainerRecord
from rules.policy import Policy


class EngineRules:
    """The real engine, ``rules.engine``."""

    def assess_trainer(self, record: TrainerRecord, today: date) -> list[Assessment]:
        return list(rules_engine.assess_trainer(record, today))

    def what_if(
        self,
        policy: Policy,
        expires_on: date,
        ceus_earned: Decimal,
        today: date,
        has_cpr_aed: bool | None = None,
    ) -> Assessment:
        return rules_engine.what_if(policy, expires_on, ceus_earned, today, has_cpr_aed=has_cpr_aed)

    def with_current_card(
        self, policy: Policy, record: TrainerRecord, credential: Credential, today: date
    ) -> Assessment:
        return scenarios.with_current_card(policy, record, credential, today)

    def with_course(
        self,
        policy: Policy,
        record: TrainerRecord,
        credential: Credential,
        course: CatalogCourse,
        today: date,
        completed_on: date | None = None,
    ) -> Assessment:
        return scenarios.with_course(policy, record, credential, course, today, completed_on)

    def with_petitions_approved(
        self, policy: Policy, record: TrainerRecord, credential: Credential, today: date
    ) -> Assessment:
        return scenarios.with_petitions_approved(policy, record, credential, today)

    def with_changes(
        self,
        policy: Policy,
        record: TrainerRecord,
        credential: Credential,
        today: date,
        *,
        current_card: bool = False,
        petitions_approved: bool = False,
        more_ce: Decimal | None = None,
    ) -> Assessment:
        return scenarios.with_changes(
            policy, record, credential, today,
            current_card=current_card, petitions_approved=petitions_approved, more_ce=more_ce,
        )

    def check_course(
        self,
        policy: Policy,
        assessment: Assessment | None,
        course: CatalogCourse | None,
        provider: Provider | None,
        completed_on: date | None,
    ) -> Any:
        return rules_engine.check_course(policy, assessment, course, provider, completed_on)
