"""Per-user rate limit on state-changing API requests (token bucket, per process)."""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Handler

from docsgen.api.auth import authenticate
from docsgen.errors import Forbidden, TooManyRequests, Unauthorized

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """``per_minute`` requests a minute per user, with bursts up to the same number."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._buckets: dict[uuid.UUID, _Bucket] = {}

    def take(self, user_id: uuid.UUID, now: float | None = None) -> float:
        """Spend one request; 0 if allowed, else the seconds until one is allowed."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) > 10_000:
                self._prune(now)
            bucket = self._buckets[user_id] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate

    def _prune(self, now: float) -> None:
        full = [
            k
            for k, b in self._buckets.items()
            if b.tokens + (now - b.updated) * self.rate >= self.capacity
        ]
        for key in full:
            del self._buckets[key]


RATE_LIMITER = web.AppKey("rate_limiter", RateLimiter)


@web.middleware
async def rate_limit_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method in STATE_CHANGING and request.path.startswith("/api/"):
        try:
            user = await authenticate(request)
        except (Unauthorized, Forbidden):
            # The handler answers 401 (or 403: a cookie without its CSRF token) itself,
            # or needs no caller at all (sign-in, CSP reports).
            return await handler(request)
        wait = request.app[RATE_LIMITER].take(user.id)
        if wait > 0:
            raise TooManyRequests(
                "Too many requests: slow down and try again shortly",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
    return await handler(request)
