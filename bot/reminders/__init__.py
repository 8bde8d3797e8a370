"""Proactive renewal reminders (issue 9): plan from the store, word through Rasa, deliver, record.

- :mod:`bot.reminders.planner` streams the store and lists the reminders due now (pure planning:
  ``rules.reminders`` decides the milestones, :mod:`bot.reminders.words` the text, the send window
  of the policy the time).
- :mod:`bot.reminders.service` runs a pass: claim a delivery row, ask Rasa for the message
  (``trigger_intent EXTERNAL_reminder`` without an output channel), deliver it through a
  :class:`~bot.reminders.notifier.Notifier`, mark the row.
- :mod:`bot.reminders.telegram` is the Telegram notifier (rate limited); :mod:`bot.reminders.calendar`
  makes the ``.ics`` file of a trainer's dates; :mod:`bot.reminders.loop` is the periodic pass of
  ``recert up``.

docs/reminders.md describes the delivery guarantee.
"""
