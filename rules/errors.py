"""The rules engine's one exception tree.

RulesError
 └─ PolicyError   a policy file is missing or invalid (names the field)
"""


class RulesError(Exception):
    """Base of every error the rules engine raises."""


class PolicyError(RulesError):
    """A policy file is missing, unreadable or invalid."""
