"""The benchmark's Rasa servers start, answer and stop through bot/stack, the token off the command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bot.stack.errors import StartFailed
from bot.stack.rasa_main import AUTH_TOKEN_FROM_SETTINGS

from .server import RasaServer
from .variant import STACK_RASA_ENTRY, MemoryTrackerVariant

# Answers /status like a Rasa server with a model loaded, when asked with the token in argv[2].
FAKE_RASA = """
import http.server, json, sys, urllib.parse
class Status(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        ok = query.get("token") == [sys.argv[2]]
        self.send_response(200 if ok else 401)
        self.end_headers()
        self.wfile.write(json.dumps({"model_file": "m.tar.gz"} if ok else {}).encode())
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Status).serve_forever()
"""


def quiet(_: str) -> None:
    pass


def test_a_server_answers_with_its_token_and_stops_with_its_process_group(tmp_path: Path) -> None:
    server = RasaServer("fake", tmp_path, os.environ, tmp_path, quiet)
    server.start(lambda port: [sys.executable, "-c", FAKE_RASA, str(port), "tok"], token="tok", timeout=30)
    assert server.process is not None and (tmp_path / "rasa-run.pid").is_file()
    process = server.process
    server.stop(grace_seconds=5)
    assert process.poll() is not None or not Path(f"/proc/{process.pid}").exists()
    assert not (tmp_path / "rasa-run.pid").exists()


def test_a_server_that_exits_while_starting_fails_with_its_log(tmp_path: Path) -> None:
    server = RasaServer("broken", tmp_path, os.environ, tmp_path, quiet)
    with pytest.raises(StartFailed, match=r"(?s)broken's rasa server exited with code 3.*no model here"):
        server.start(lambda port: [sys.executable, "-c", "print('no model here'); raise SystemExit(3)"],
                     timeout=30)
    server.stop()


def test_the_variant_starts_rasa_as_the_stack_does_with_the_token_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "RECERT_VAR_DIR": str(tmp_path),
           "RECERT_RASA_TOKEN": "bench-secret-token", "RECERT_RASA_PORT": "5305"}
    variant = MemoryTrackerVariant(tmp_path, tmp_path / "variant", "http://127.0.0.1:1/webhook", env, quiet)
    started: list[tuple[list[str], str | None]] = []
    monkeypatch.setattr(variant.server, "start",
                        lambda command, token=None: started.append((list(command(4321)), token)))
    variant.start(tmp_path / "model.tar.gz")
    [(command, token)] = started
    assert command[1:4] == ["-m", STACK_RASA_ENTRY, "run"] and AUTH_TOKEN_FROM_SETTINGS in command
    assert command[command.index("-p") + 1] == "4321"
    assert "bench-secret-token" not in " ".join(command) and "--auth-token" not in command
    assert token == variant.server.env["RECERT_RASA_TOKEN"] == "bench-secret-token"
    assert "tracker_store" not in (tmp_path / "variant" / "endpoints.yml").read_text()
