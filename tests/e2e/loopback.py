"""An aiohttp app on a free loopback port, served by a thread of its own: the base of the test fakes.

The fakes that stand in for a service over real HTTP (the Telegram Bot API, a Rasa server) must keep
answering while the test blocks: on ``recert up``, on a subprocess, on a reply. So each runs its own
event loop in a daemon thread; the test reads what it recorded and sets how it answers from outside.
A subclass adds its routes (:meth:`LoopbackServer.add_routes`) and, where its handlers need them,
loop-bound objects (:meth:`LoopbackServer.on_start`) and resources to close (:meth:`LoopbackServer.on_stop`).
"""

from __future__ import annotations

import asyncio
import threading
from typing import TypeVar

from aiohttp import web

Server = TypeVar("Server", bound="LoopbackServer")


class LoopbackServer:
    """Serves :meth:`add_routes`'s app on ``127.0.0.1:port`` between :meth:`start` and :meth:`stop`."""

    thread_name = "loopback-server"

    def __init__(self) -> None:
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()

    def add_routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def on_start(self) -> None:
        """Runs in the server's loop before it listens: create what the handlers share there."""

    async def on_stop(self) -> None:
        """Runs in the server's loop after :meth:`stop`: close what :meth:`on_start` opened."""

    def start(self: Server) -> Server:
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), name=self.thread_name, daemon=True)
        self._thread.start()
        if not self._started.wait(10):
            raise RuntimeError(f"{type(self).__name__} did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self: Server) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _serve(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        await self.on_start()
        app = web.Application()
        self.add_routes(app)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = runner.addresses[0][1]  # the port the OS chose for port 0
        self._started.set()
        await self._stop.wait()
        await self.on_stop()
        await runner.cleanup()
