"""`workbook serve`'s checks on what the browser sends, in-process (no tab is started here): every
websocket message is checked and sizes clamped; the Host header never reaches our headers unchecked."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp import WSMessage, WSMsgType

from workbook.serve.server import HEIGHT, WIDTH, WorkbookServer, clamp_size

LONE_SURROGATE = json.dumps(["stdin", "\udcff"], ensure_ascii=True)
# Every kind of malformed message a page (or anyone holding the token) can send.
MALFORMED: list[str | bytes] = [
    "not json", "", "{", "null", "1", '"stdin"', "{}", '{"type": "resize"}', "[]", "[1, 2]", "[null]",
    '[["stdin"], "u"]', '["stdin"]', '["stdin", 5]', '["stdin", null]', '["stdin", ["u"]]',
    '["resize"]', '["resize", null]', '["resize", {}]', '["resize", [80, 24]]', '["resize", "80x24"]',
    '["resize", {"width": 80}]', '["resize", {"height": 24}]',
    '["resize", {"width": "abc", "height": 24}]', '["resize", {"width": 80, "height": "x"}]',
    '["resize", {"width": 1e999, "height": 24}]', '["resize", {"width": -1e999, "height": 24}]',
    '["resize", {"width": NaN, "height": 24}]', '["resize", {"width": Infinity, "height": 24}]',
    '["resize", {"width": true, "height": false}]', '["resize", {"width": [1], "height": {}}]',
    '["focus", 1, 2, 3]', '["unknown-kind", {}]', '["quit"]', "[" * 50 + "]" * 50,
    b"\x00\xff binary", LONE_SURROGATE,
]
# Out of range, clamped as the query string's sizes are.
CLAMPED = {
    '["resize", {"width": 1e9, "height": 1}]': (WIDTH[1], HEIGHT[0]),
    '["resize", {"width": -5, "height": -5}]': (WIDTH[0], HEIGHT[0]),
    '["resize", {"width": 0, "height": 1000000}]': (WIDTH[0], HEIGHT[1]),
    '["resize", {"width": "120", "height": 40.7}]': (120, 40),
}


class FakeSocket:
    def __init__(self, texts: list[str | bytes]) -> None:
        self.messages = [WSMessage(WSMsgType.BINARY if isinstance(t, bytes) else WSMsgType.TEXT, t, None)
                         for t in texts]
        self.sent: list[Any] = []

    def __aiter__(self) -> AsyncIterator[WSMessage]:
        async def gen() -> AsyncIterator[WSMessage]:
            for message in self.messages:
                yield message
        return gen()

    async def send_json(self, data: Any) -> None:
        self.sent.append(data)


class FakeTab:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    async def send_bytes(self, data: bytes) -> bool:
        self.calls.append(("stdin", data))
        return True

    async def set_terminal_size(self, width: int, height: int) -> None:
        self.calls.append(("resize", width, height))

    async def blur(self) -> None:
        self.calls.append(("blur",))

    async def focus(self) -> None:
        self.calls.append(("focus",))


def server(token: str | None = None) -> WorkbookServer:
    return WorkbookServer(["true"], host="127.0.0.1", port=0, token=token, title="Guard pilot",
                          announce=lambda url: None)


async def test_every_malformed_message_is_dropped_and_sizes_are_clamped() -> None:
    ordinary = ['["stdin", "u"]', '["resize", {"width": 100, "height": 30}]', '["ping", "1"]', '["blur"]',
                '["focus"]']
    socket, tab = FakeSocket([*MALFORMED, *CLAMPED, *ordinary]), FakeTab()
    await server()._process_messages(socket, tab)  # type: ignore[arg-type]  # never raises
    resizes = [call[1:] for call in tab.calls if call[0] == "resize"]
    assert resizes == [*CLAMPED.values(), (100, 30)]
    assert ("stdin", b"u") in tab.calls and ("blur",) in tab.calls and ("focus",) in tab.calls
    # A lone surrogate is replaced, not fatal.
    assert [call for call in tab.calls if call[0] == "stdin"] == [("stdin", b"?"), ("stdin", b"u")]
    assert socket.sent == [["pong", "1"]]


@pytest.mark.parametrize("value, expected", [
    ("80", 80), (80.9, 80), (1e9, WIDTH[1]), (-3, WIDTH[0]), ("1e3", WIDTH[1]),
    ("abc", None), (None, None), (True, None), (float("inf"), None), (float("nan"), None), ([80], None),
])
def test_a_size_from_the_browser_is_a_clamped_number_or_nothing(value: Any, expected: int | None) -> None:
    assert clamp_size(value, WIDTH) == expected


@asynccontextmanager
async def running(srv: WorkbookServer) -> AsyncIterator[str]:
    stop = asyncio.Event()
    task = asyncio.create_task(srv.run(stop))
    for _ in range(400):
        if srv.url or task.done():
            break
        await asyncio.sleep(0.01)
    assert srv.url, "the server did not start"
    try:
        yield srv.url
    finally:
        stop.set()
        await task


async def test_with_a_token_the_host_header_never_reaches_the_csp_unchecked() -> None:
    srv = server(token="t0ken")
    async with running(srv) as url, aiohttp.ClientSession() as client:
        port = srv.port
        good = f"workbook.example:{port}"
        async with client.get(url, headers={"Host": good}) as response:
            assert response.status == 200
            assert f"connect-src 'self' ws://{good}/ws;" in response.headers["Content-Security-Policy"]
        for host in ("x; script-src *", "x;default-src *", "evil.example 'unsafe-eval'", "a,b", 'x"y',
                     "x/ws; report-uri http://evil", "[::1]; img-src *", "host:80:80", "-x.example"):
            async with client.get(url, headers={"Host": host}) as response:
                assert response.status in (400, 403), host
                assert host not in response.headers.get("Content-Security-Policy", ""), host
