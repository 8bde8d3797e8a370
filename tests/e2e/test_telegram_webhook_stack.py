"""The webhook gateway under `recert up` with the real stack: TELEGRAM_WEBHOOK_URL and a secret file
make `recert up` start the gateway in webhook mode, ready only once its /health answers; the fake
Bot API POSTs updates with the secret header; SIGTERM drains what was acknowledged.

It borrows the session's stack: the polling gateway is stopped, `recert up` with the webhook
settings starts the webhook gateway beside the running Rasa and action server, and at the end
the polling gateway is started again for the other tests.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.stack import processes
from tests.e2e.conftest import Stack

pytestmark = pytest.mark.slow

TRAINER = 5101
PUBLIC_URL = "https://bot.example.test/telegram"


@pytest.fixture(scope="module")
def webhook_stack(stack: Stack, trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    secret_file = tmp_path_factory.mktemp("secret") / "telegram-secret"
    secret_file.write_text("e2e_webhook-secret_" + "7" * 20 + "\n")
    secret_file.chmod(0o600)
    run_dir = stack.var_dir / "run"
    processes.stop(run_dir, "gateway")
    env = {**stack.env, "TELEGRAM_WEBHOOK_URL": PUBLIC_URL, "TELEGRAM_WEBHOOK_SECRET_FILE": str(secret_file)}
    webhook = dataclasses.replace(stack, env=env)
    stack.fake_api.deliver_to = f"http://127.0.0.1:{env['RECERT_GATEWAY_PORT']}/telegram"
    try:
        up = webhook.recert("up", "--model", str(trained_model), "--timeout", "300", timeout=600)
        assert up.returncode == 0, f"{up.stdout}\n{up.stderr}"
        yield webhook
    finally:
        processes.stop(run_dir, "gateway")
        stack.fake_api.webhook = None  # back to getUpdates, as after deleteWebhook
        again = stack.recert("up", "--model", str(trained_model), "--timeout", "300", timeout=600)
        assert again.returncode == 0, f"{again.stdout}\n{again.stderr}"


def test_recert_up_starts_the_webhook_gateway_and_status_asks_its_health(webhook_stack: Stack) -> None:
    api = webhook_stack.fake_api
    assert api.webhook is not None and api.webhook["url"] == PUBLIC_URL
    assert api.webhook["secret_token"] == "e2e_webhook-secret_" + "7" * 20
    status = webhook_stack.recert("status", "--json")
    assert status.returncode == 0, status.stdout
    [gateway] = [p for p in json.loads(status.stdout) if p["name"] == "gateway"]
    assert gateway["state"] == "up" and gateway["note"] == "webhook"
    assert gateway["port"] == int(webhook_stack.env["RECERT_GATEWAY_PORT"])
    health = httpx.get(f"http://127.0.0.1:{gateway['port']}/health", timeout=10).json()
    assert health == {"mode": "webhook", "store": True, "rasa": True, "webhook": True, "inbox": True, "ok": True}
    [reminders] = [p for p in json.loads(status.stdout) if p["name"] == "reminders"]
    assert reminders["state"] == "up"  # its heartbeat is fresh


def test_a_trainer_talks_through_the_webhook_and_a_forger_is_refused(webhook_stack: Stack) -> None:
    api = webhook_stack.fake_api
    forged = api.post_with_secret(api.text_update(TRAINER, "am I late?"), "not-the-secret")
    assert forged == 403
    after = len(api.messages(TRAINER))
    api.send_text(TRAINER, "hi")
    replies = api.wait_for_reply(TRAINER, after, None, 90.0)
    assert replies and all(m.chat_id == TRAINER for m in replies)
    assert not api.sent("getUpdates") or all(
        call.at < api.sent("setWebhook")[-1].at for call in api.sent("getUpdates")
    ), "the gateway polled while the webhook was set"
    assert not [c for c in api.sent("deleteWebhook") if c.at > api.sent("setWebhook")[-1].at]


def test_sigterm_handles_every_acknowledged_update_before_exit(webhook_stack: Stack) -> None:
    from bot.store.bootstrap import make_session_factory
    from bot.store.models import TelegramUpdateRow
    from bot.store.unit_of_work import SqlAlchemyUnitOfWork

    api = webhook_stack.fake_api
    user = TRAINER + 1
    ids = [api.send_text(user, text) for text in ("hello", "what is a CEU?", "thanks")]
    uow = SqlAlchemyUnitOfWork(make_session_factory(webhook_stack.database_url, migrate=False))

    def rows() -> dict[int, bool]:
        with uow:
            found = uow.session.execute(
                select(TelegramUpdateRow.update_id, TelegramUpdateRow.processed_at)
                .where(TelegramUpdateRow.update_id.in_(ids))
            )
            return {int(r.update_id): r.processed_at is not None for r in found}

    deadline = time.monotonic() + 30
    while len(rows()) < len(ids):  # acknowledged = stored
        assert time.monotonic() < deadline, "the webhook did not acknowledge the updates"
        time.sleep(0.05)
    assert processes.stop(webhook_stack.var_dir / "run", "gateway", grace_seconds=60)  # SIGTERM
    assert rows() == {update_id: True for update_id in ids}
    assert len(api.messages(user)) >= len(ids)  # each one answered before the gateway exited
