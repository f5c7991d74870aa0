"""Per-user limits that hold across processes: the rate of state-changing API requests.

Counted in PostgreSQL (``docsgen.db.limits``), not in each process, so that a
user behind a load balancer over N processes gets the allowance once, not N
times.
"""

from __future__ import annotations

import math

from aiohttp import web
from aiohttp.typedefs import Handler

from docsgen.api.auth import authenticate
from docsgen.api.keys import POOL, SETTINGS
from docsgen.db import limits
from docsgen.errors import Forbidden, TooManyRequests, Unauthorized

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@web.middleware
async def rate_limit_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """``DOCSGEN_STATE_CHANGES_PER_MINUTE`` state-changing ``/api/`` requests a minute per
    user, with bursts up to as many; 429 with ``Retry-After`` past it."""
    if request.method in STATE_CHANGING and request.path.startswith("/api/"):
        try:
            user = await authenticate(request)
        except (Unauthorized, Forbidden):
            # The handler answers 401 (or 403: a cookie without its CSRF token) itself,
            # or needs no caller at all (sign-in, CSP reports).
            return await handler(request)
        per_minute = request.app[SETTINGS].state_changes_per_minute
        wait = await limits.spend_request(request.app[POOL], user.id, per_minute)
        if wait > 0:
            raise TooManyRequests(
                "Too many requests: slow down and try again shortly",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
    return await handler(request)
