"""The fixed conversations each bot is driven through.

Both scripts have the same number of messages of similar length, so the two bots
answer the same amount of traffic. Ours is what a trainer asks around renewal time;
the plain bot's uses the intents ``rasa init`` ships with (greet, mood_unhappy,
deny, bot_challenge, mood_great, goodbye), which its stories and rules answer
without an action server.

Every conversation gets its own sender id (``bench:<run>-<kind>-<n>``): the terminal
channel's ``terminal:<trainer id>`` would put all conversations of one trainer into
one tracker. Our linked conversations rotate over demo trainers in different
situations (bot/demo/README.md); every ``UNLINKED_EVERY``-th conversation carries no
identity, so the "not linked" answers are measured too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Greeting and thanks are answered by responses in the domain; the four questions in
# between each run a custom action on the action server (see data/rules.yml).
OUR_MESSAGES: tuple[str, ...] = (
    "hi",
    "am I late?",
    "how many CEUs do I still need?",
    "does the corrective exercise course count?",
    "what is the late fee?",
    "thanks",
)
# The custom action each question of OUR_MESSAGES runs (data/rules.yml); the other steps
# (greeting, thanks) are answered from domain responses, with no action server call.
OUR_ACTION_OF_STEP: dict[int, str] = {
    1: "action_am_i_late",
    2: "action_ceus_remaining",
    3: "action_course_counts",
    4: "action_late_fee",
}
OUR_NO_ACTION_STEPS: frozenset[int] = frozenset(range(len(OUR_MESSAGES))) - set(OUR_ACTION_OF_STEP)

PLAIN_MESSAGES: tuple[str, ...] = (
    "hello there",
    "I am so sad today",
    "no, not really",
    "are you a bot or a human?",
    "I am feeling great now",
    "goodbye, see you later",
)

# Active with gaps, late (fee), expires in four days, grace-period late fee, lapsed.
LINKED_TRAINERS: tuple[str, ...] = ("T-1002", "T-1004", "T-1003", "T-1005", "T-1007")
UNLINKED_EVERY = 4


@dataclass(frozen=True)
class Conversation:
    """One scripted conversation: who sends it and what they say, in order."""

    sender: str
    trainer_id: str | None  # None: no identity metadata ("not linked")
    messages: tuple[str, ...]


def plan(
    run_id: str, kind: str, count: int, messages: Sequence[str], linked: bool
) -> list[Conversation]:
    """``count`` conversations of ``kind`` (e.g. ``seq``, ``conc``, ``warm``) for one bot.

    With ``linked`` (our bot), conversation ``n`` is unlinked when ``n % UNLINKED_EVERY == 3``
    and otherwise linked to the next trainer of ``LINKED_TRAINERS``.
    """
    conversations = []
    linked_seen = 0
    for n in range(count):
        trainer_id: str | None = None
        if linked and n % UNLINKED_EVERY != UNLINKED_EVERY - 1:
            trainer_id = LINKED_TRAINERS[linked_seen % len(LINKED_TRAINERS)]
            linked_seen += 1
        conversations.append(
            Conversation(f"bench:{run_id}-{kind}-{n:03d}", trainer_id, tuple(messages))
        )
    return conversations
