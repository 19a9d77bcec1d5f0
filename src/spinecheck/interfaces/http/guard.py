"""One ASGI layer in front of everything: security headers, the request-size limit, request timing.

Written as plain ASGI rather than a Starlette `BaseHTTPMiddleware`, so it costs microseconds per
request and never buffers a response. Every response, API or page, passes through it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 64 * 1024
"""Requests with a larger body are refused with 413; no legitimate request comes near it."""

START_KEY = "spinecheck.started"
"""Where the scope keeps the time the request arrived (`time.perf_counter()`), for Server-Timing."""

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
])

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
NO_STORE = (b"cache-control", b"no-store")
STATIC_PREFIX = "/static/"


class BodyTooLargeError(Exception):
    """Raised from `receive` when the body grows past the limit while the app reads it."""


def problem_bytes(status: int, title: str, detail: str, instance: str) -> bytes:
    """A minimal RFC 9457 problem document, for the refusals made before the app runs."""
    return json.dumps({
        "type": "about:blank", "title": title, "status": status, "detail": detail, "instance": instance,
    }).encode()


class HttpGuard:
    """Adds security headers, refuses bodies over `max_body` bytes, and stamps the arrival time."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES, larger: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.larger = dict(larger or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope[START_KEY] = time.perf_counter()
        path: str = scope.get("path", "")
        extra = SECURITY_HEADERS if path.startswith(STATIC_PREFIX) else (*SECURITY_HEADERS, NO_STORE)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = _merge(message.get("headers", []), extra)
            await send(message)

        limit = self.larger.get(path, self.max_body)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(path, send_with_headers, limit)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError
            return message

        try:
            await self.app(scope, counted_receive, send_with_headers)
        except BodyTooLargeError:
            if started:
                raise
            await self._refuse(path, send_with_headers, limit)

    async def _refuse(self, path: str, send: Send, limit: int) -> None:
        body = problem_bytes(413, "Request too large", f"The request body is larger than {limit // 1024} KiB.", path)
        await send({
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        })
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _merge(headers: Iterable[tuple[bytes, bytes]], extra: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    merged = list(headers)
    present = {name.lower() for name, _ in merged}
    merged.extend((name, value) for name, value in extra if name not in present)
    return merged


def server_timing(scope: Scope, **marks: float) -> str:
    """A Server-Timing header value: `parse` (arrival until the handler ran) and the given phases, in ms.

    `marks` are `time.perf_counter()` readings, in order; each phase lasts from the previous mark
    to its own.
    """
    started = float(scope.get(START_KEY, 0.0))
    parts = []
    previous = started
    for name, mark in marks.items():
        parts.append(f"{name};dur={(mark - previous) * 1000:.3f}")
        previous = mark
    return ", ".join(parts)
