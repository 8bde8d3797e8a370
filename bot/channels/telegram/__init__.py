"""The Telegram gateway: python-telegram-bot 22 in front of Rasa's REST channel.

``build_application(settings, deps)`` (``app.py``) wires thin handlers
(``handlers.py``) to the relay (``relay.py``), which decides identity, talks to
Rasa and renders the replies through an :class:`~bot.channels.telegram.outbox.Outbox`.
Run it with ``python -m bot.channels.telegram`` (``recert up`` does that when
``TELEGRAM_BOT_TOKEN`` is set).
"""
