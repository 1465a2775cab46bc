"""The web server of ``workbook serve``: textual-serve's protocol, closed and offline.

textual-serve (pinned in pyproject.toml: this module subclasses its Server and AppService) runs one
process per browser tab and relays the terminal over a websocket. What this module adds:

- a page of our own: no web font service (the font is textual-serve's own Roboto Mono, served from
  here), a Content-Security-Policy that lets the page reach only this server, no referrer;
- loopback by default; on any other address an access token (random, in the printed URL) is required
  of every request, kept in a same-site cookie once the page is opened; 403 without it;
- a Host check on loopback (a web page cannot reach us through DNS rebinding) and an Origin check on
  every request (another site open in the same browser cannot drive the websocket);
- each tab's process is started without a shell, in its own session (ctrl+c in the facilitator's
  terminal stops the server, which then closes each tab so its process saves and exits), and is
  told the browser's visitor key (a cookie) so a live respondent gets their own file back;
- ctrl+c (or SIGTERM, or SIGHUP: the terminal closed) stops cleanly: every tab's process is asked
  to quit and waited for; a server killed outright leaves no tab behind (each watches its server's pid);
- every message from the browser is checked: a size is clamped as the query string's is, and a
  malformed message is dropped (never fatal to the tab, which would then end without saving).
"""

from __future__ import annotations

import asyncio
import hmac
import html
import ipaddress
import json
import logging
import math
import os
import re
import secrets
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import textual_serve
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("workbook.serve")

TOKEN_COOKIE = "workbook_token"
VISITOR_COOKIE = "workbook_visitor"
VISITOR_ENV = "WORKBOOK_VISITOR"
SERVER_ENV = "WORKBOOK_SERVER_PID"  # a tab exits (saving first) once this process is gone
MAX_SESSIONS = 40  # browser tabs at once: each is a process of ~60 MB
STATIC = Path(textual_serve.__file__).parent / "static"
PAGE = Path(__file__).with_name("page.html")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")
WIDTH, HEIGHT = (20, 500), (10, 300)  # a terminal's size in cells, from the query string or a resize
# What a Host header may be: a DNS name or IPv4 address, or a bracketed IPv6 address; an optional port.
# It goes into a header of ours (the CSP's connect-src): nothing else may pass.
HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*\.?|\[[0-9A-Fa-f:.]{2,45}\])"
                  r"(?::[0-9]{1,5})?")


def clamp_size(value: object, bounds: tuple[int, int]) -> int | None:
    """A size in cells from the browser, clamped to ``bounds``; None when it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return max(bounds[0], min(bounds[1], int(number)))


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def needs_token(host: str, asked: bool) -> bool:
    """A token is required off loopback, always; on loopback when asked for (a shared machine)."""
    return asked or not is_loopback(host)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class TabProcess(AppService):
    """One browser tab's process: our argv, no shell, its own session, the visitor key in its environment."""

    def __init__(self, argv: list[str], visitor: str, **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = argv
        self.visitor = visitor

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        environment = self._build_environment(width=width, height=height)
        environment[VISITOR_ENV] = self.visitor
        environment[SERVER_ENV] = str(os.getpid())
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,  # ctrl+c in the server's terminal reaches the server only
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the process until it ends, then close the tab's websocket.

        textual-serve closes it only when the app says it exits; a process that fails before that (a
        crash, a review that stopped loading) would leave the page at "connecting…" for good.
        """
        try:
            await super().run()
        except asyncio.CancelledError:
            # textual-serve cancels its stderr reader as the process ends; a reader cancelled before it
            # ever ran (a process that dies at once, on a busy machine) raises that here. Only a cancel
            # of this task itself is ours to pass on.
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
        finally:
            await self.remote_close()

    async def stop(self) -> None:
        """Ask the app to quit (it saves first), then wait for its process; kill it if it hangs."""
        await super().stop()
        process = self._process
        if process is None or process.returncode is not None:
            return
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            log.warning("a session did not quit in 10 s; killing it")
            process.kill()
            await process.wait()


class WorkbookServer(Server):
    """textual-serve's server with our page, our process per tab, and the guard in front of every request."""

    def __init__(self, argv: list[str], *, host: str, port: int, token: str | None, title: str,
                 announce: Callable[[str], None] | None = None) -> None:
        super().__init__(" ".join(argv), host=host, port=port, title=title, statics_path=STATIC,
                         templates_path=PAGE.parent)
        self.argv = argv
        self.token = token
        self.announce = announce or (lambda url: print(url, flush=True))
        self.url = ""
        self._sockets: dict[web.WebSocketResponse, asyncio.Task[Any]] = {}

    # ------------------------------------------------------------------ the guard

    def _host_allowed(self, request: web.Request) -> bool:
        if HOST.fullmatch(request.host) is None:
            return False  # not a host name at all (it would be copied into our headers)
        if self.token is not None:
            return True  # the token is the lock; the Host may be any name the machine goes by
        hosts = {f"{name}:{self.port}" for name in (*LOOPBACK_NAMES, self.host)}
        return request.host in hosts

    def _has_token(self, request: web.Request) -> bool:
        assert self.token is not None
        given = request.query.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode("utf-8"))

    @web.middleware
    async def _guard(self, request: web.Request,
                     handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        if not self._host_allowed(request):
            raise web.HTTPForbidden(text="workbook: this server answers only on the address it printed.\n")
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            raise web.HTTPForbidden(text="workbook: requests from other sites are refused.\n")
        if self.token is not None and not self._has_token(request):
            raise web.HTTPForbidden(text="workbook: this address needs the access token in the URL that "
                                         "`workbook serve` printed.\n")
        response = await handler(request)
        if not response.prepared:
            response.headers.setdefault("Referrer-Policy", "no-referrer")
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    # ------------------------------------------------------------------ routes

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        return app

    async def handle_index(self, request: web.Request) -> web.Response:
        font_size = max(8, min(32, to_int(request.query.get("fontsize", "16"), 16)))
        websocket = f"ws://{request.host}/ws"
        page = PAGE.read_text(encoding="utf-8")
        for key, value in (("TITLE", html.escape(self.title)), ("FONT_SIZE", str(font_size)),
                           ("WEBSOCKET_URL", html.escape(websocket))):
            page = page.replace("{{" + key + "}}", value)
        response = web.Response(text=page, content_type="text/html", charset="utf-8")
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            f"font-src 'self'; img-src 'self' data:; connect-src 'self' {websocket}; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'"
        )
        response.headers["X-Frame-Options"] = "DENY"
        if self.token is not None:
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="Strict", path="/")
        if not request.cookies.get(VISITOR_COOKIE):
            # Who this browser is, so a respondent who reloads the page gets their own file back.
            response.set_cookie(VISITOR_COOKIE, secrets.token_urlsafe(24), httponly=True, samesite="Strict",
                                path="/", max_age=30 * 24 * 3600)
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if len(self._sockets) >= MAX_SESSIONS:
            raise web.HTTPServiceUnavailable(text=f"workbook: {MAX_SESSIONS} sessions are open; try again later.\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = clamp_size(request.query.get("width", "80"), WIDTH) or 80
        height = clamp_size(request.query.get("height", "24"), HEIGHT) or 24
        visitor = request.cookies.get(VISITOR_COOKIE, "")[:64]
        tab: TabProcess | None = None
        task = asyncio.current_task()
        assert task is not None
        try:
            await websocket.prepare(request)
            self._sockets[websocket] = task
            tab = TabProcess(self.argv, visitor, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                             close=websocket.close, download_manager=self.download_manager)
            await tab.start(width, height)
            await self._process_messages(websocket, tab)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one tab's failure must not stop the server
            log.exception(error)
        finally:
            self._sockets.pop(websocket, None)
            if tab is not None:
                await tab.stop()
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """Relay the browser's messages to the tab's process; anything malformed is dropped here.

        textual-serve trusts the page: a resize of 1e9 columns would make the tab allocate without
        bound, and a negative or non-numeric one (or a message that is not the expected list) would end
        the tab without saving its last edit.
        """
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                log.debug("dropped a message that is not JSON")
                continue
            if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
                log.debug("dropped a message that is not [type, data]")
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                width, height = clamp_size(data.get("width"), WIDTH), clamp_size(data.get("height"), HEIGHT)
                if width is not None and height is not None:
                    await app_service.set_terminal_size(width, height)
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()
            else:
                log.debug("dropped a message of kind %r", kind[:40])

    # ------------------------------------------------------------------ running

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until ``stop`` is set; then close every tab (each process saves and exits) and stop."""
        runner = web.AppRunner(await self._make_app(), access_log=None, handle_signals=False, shutdown_timeout=15)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            port = runner.addresses[0][1] if runner.addresses else self.port
            self.port = port
            host = f"[{self.host}]" if ":" in self.host else self.host
            self.url = f"http://{host}:{port}/" + (f"?token={self.token}" if self.token else "")
            self.announce(self.url)
            await stop.wait()
            await self.close_tabs()
        finally:
            await runner.cleanup()

    async def close_tabs(self) -> None:
        tasks = list(self._sockets.values())
        for websocket in list(self._sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"the server is stopping")
        if tasks:
            await asyncio.wait(tasks, timeout=20)

    def serve_forever(self, debug: bool = False) -> None:
        """Run until ctrl+c, SIGTERM or SIGHUP."""
        self.debug = debug
        logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="workbook serve: %(message)s",
                            stream=sys.stderr)

        async def main() -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for name in ("SIGINT", "SIGTERM", "SIGHUP"):  # SIGHUP: the terminal closed (none on Windows)
                if hasattr(signal, name):
                    loop.add_signal_handler(getattr(signal, name), stop.set)
            await self.run(stop)

        asyncio.run(main())


def tab_command(review: Path, *, respondents: Path | None, workshop: bool) -> list[str]:
    """The command each browser tab runs: this Python, the TUI on Textual's web driver."""
    argv = [sys.executable, "-m", "workbook.serve.session", os.fspath(review.resolve())]
    if respondents is not None:
        argv += ["--respondents", os.fspath(respondents.resolve())]
    if workshop:
        argv.append("--workshop")
    return argv
