"""The action server finds exactly the actions the domain names (rasa-sdk's own package scan)."""

from __future__ import annotations

from rasa_sdk.executor import ActionExecutor

DOMAIN_ACTIONS = {
    "action_am_i_late",
    "action_expiration_date",
    "action_ceus_remaining",
    "action_course_counts",
    "action_provider_approved",
    "action_late_fee",
    "action_can_renew",
    "action_audit",
    "action_petition_status",
    "action_renewal_steps",
    "action_what_if",
    "action_answer_faq",
    "action_handoff",
    "action_offer_handoff",
    "action_session_start",
    "action_handle_misunderstanding",
    "validate_course_form",
    "action_send_reminder",
    "action_stop_reminders",
    "action_start_reminders",
    "action_send_calendar",
    "action_reminder_request",
    "action_answer_in_order",
}


def test_package_scan_registers_every_domain_action_and_nothing_else() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    ours = {name for name in executor.actions if not name.startswith("action_validate_slot_mappings")}
    assert ours == DOMAIN_ACTIONS


def test_actions_are_created_without_arguments_and_touch_nothing_at_import() -> None:
    from actions.status import ActionAmILate

    action = ActionAmILate()
    assert action._uow_factory is None and action._settings is None  # built lazily on first use
