"""Errors of the stack supervisor.

BotError
 └─ StackError            the local stack could not be started, trained or stopped
     ├─ TrainingFailed    ``rasa train`` (or the spaCy pipeline build) failed
     └─ StartFailed       a part did not come up in time or exited while starting
"""

from bot.errors import BotError


class StackError(BotError):
    """The local stack could not be started or stopped."""


class TrainingFailed(StackError):
    """Training the model failed; the log names the reason."""


class StartFailed(StackError):
    """A part of the stack did not answer in time or exited while starting."""
