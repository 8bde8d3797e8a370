"""The bot package's one exception tree; edges (CLI, actions, gateway) turn these into words.

BotError
 ├─ ConfigError        an environment variable is invalid
 ├─ ImportFileError    an import file is rejected (names the record and field)
 └─ UnknownTrainer     no trainer with that id
"""


class BotError(Exception):
    """Base of every error raised by the bot package."""


class ConfigError(BotError):
    """An environment variable or setting is invalid."""


class ImportFileError(BotError):
    """An import file was rejected; nothing was written."""


class UnknownTrainer(BotError):
    """No trainer with the given id."""
