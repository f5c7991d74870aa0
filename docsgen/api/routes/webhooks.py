"""``POST /webhooks/github``: GitHub tells us about pushes (docs/freshness.md).

Every delivery must carry a valid ``X-Hub-Signature-256`` for the configured
``GITHUB_WEBHOOK_SECRET`` (checked by gidgethub's ``sansio.Event.from_http``);
without a configured secret, webhooks are refused.  ``ping`` is answered; a
push to the default branch of a registered repository starts a run for each
registration (or asks for one after the run in progress); everything else is
acknowledged and ignored.  A delivery id is acted on once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import AsyncIterator
from typing import Any

import gidgethub
import gidgethub.sansio
from aiohttp import web

from docsgen.api.bodies import check_json, read_limited, too_deep
from docsgen.api.keys import POOL, RUN_DEPS, SETTINGS
from docsgen.db import DATABASE_ERRORS, webhooks
from docsgen.db.repositories import github_registrations
from docsgen.errors import BadRequest, ServiceUnavailable, Unauthorized, UnsupportedMediaType
from docsgen.freshness.push import act_on_push, parse_push

log = logging.getLogger(__name__)

routes = web.RouteTableDef()

# Bodies read and held before their signature is checked, at most, whoever sends
# them: with ``max_webhook_bytes`` this bounds what strangers can make the process
# hold.  Other deliveries wait their turn (a verified one is read in moments).
UNVERIFIED_AT_ONCE = 2
UNVERIFIED_BODIES = web.AppKey("webhook_unverified_bodies", asyncio.Semaphore)
_CONTENT_TYPES = ("application/json", "application/x-www-form-urlencoded")


@contextlib.asynccontextmanager
async def _unverified_body_slot(request: web.Request) -> AsyncIterator[None]:
    """One of the ``UNVERIFIED_AT_ONCE`` turns to read and verify a body; waiting for
    one is bounded by the body timeout (then 503: GitHub lets a delivery be retried)."""
    slots = request.app[UNVERIFIED_BODIES]
    seconds = request.app[SETTINGS].body_timeout_seconds
    try:
        async with asyncio.timeout(seconds):
            await slots.acquire()
    except TimeoutError:
        raise ServiceUnavailable(
            "Too many webhook deliveries are arriving at once; try again shortly",
            headers={"Retry-After": str(math.ceil(seconds))},
        ) from None
    try:
        yield
    finally:
        slots.release()


def _ack(message: str, status: int = 202, **extra: Any) -> web.Response:
    return web.json_response({"message": message, **extra}, status=status)


@routes.post("/webhooks/github")
async def github_webhook(request: web.Request) -> web.Response:
    secret = request.app[SETTINGS].github_webhook_secret
    if not secret:
        raise ServiceUnavailable(
            "GitHub webhooks are not configured on this server (set GITHUB_WEBHOOK_SECRET "
            "to the secret of the repository's webhook)"
        )
    signature = request.headers.get("X-Hub-Signature-256")
    if not signature:
        raise Unauthorized("Webhook deliveries must be signed (X-Hub-Signature-256)")
    if not signature.startswith("sha256="):
        raise Unauthorized("X-Hub-Signature-256 must be 'sha256=<hex digest>'")
    if request.content_type not in _CONTENT_TYPES:
        raise UnsupportedMediaType("Webhook body must be JSON (Content-Type: application/json)")
    event_name = request.headers.get("X-GitHub-Event")
    delivery_id = request.headers.get("X-GitHub-Delivery")
    if not event_name or not delivery_id:
        raise BadRequest("X-GitHub-Event and X-GitHub-Delivery headers are required")
    # Only the SHA-256 signature is offered: the SHA-1 one is not accepted.
    headers = {
        "x-hub-signature-256": signature,
        "content-type": request.headers.get("Content-Type", ""),
        "x-github-event": event_name,
        "x-github-delivery": delivery_id,
    }
    async with _unverified_body_slot(request):
        body = await read_limited(request, request.app[SETTINGS].max_webhook_bytes)
        try:
            event = gidgethub.sansio.Event.from_http(headers, body, secret=secret)
        except gidgethub.ValidationFailure:
            log.warning("webhook delivery %.64s refused: bad signature", delivery_id)
            raise Unauthorized("Webhook signature does not match the configured secret") from None
        except (gidgethub.BadRequest, LookupError):
            raise BadRequest("Webhook body is not valid JSON") from None
        except RecursionError:
            raise too_deep("Webhook body") from None
        del body
    check_json(event.data, "Webhook body")

    if not isinstance(event.data, dict):
        raise BadRequest("Webhook body must be a JSON object, as GitHub sends")
    if event.event == "ping":
        return _ack("pong", status=200)
    if event.event != "push":
        return _ack(f"Event {event.event[:64]!r} is ignored")
    push = parse_push(event.data)
    if push.deleted or not push.to_default_branch:
        return _ack(f"Push to {push.ref[:200]} is ignored: not the default branch")
    pool = request.app[POOL]
    registrations = await github_registrations(pool, push.full_name)
    if not registrations:
        return _ack("No registered repository matches; ignored")

    # Recorded before acting, so a redelivery arriving meanwhile does nothing; if
    # acting fails, the record is withdrawn so that GitHub can redeliver.
    if not await webhooks.record_delivery(pool, event.delivery_id, event.event):
        return _ack("Delivery already handled; ignored", duplicate=True)
    try:
        outcomes = await act_on_push(request.app[RUN_DEPS], push, registrations)
    except BaseException:
        with contextlib.suppress(*DATABASE_ERRORS):
            await asyncio.shield(webhooks.forget_delivery(pool, event.delivery_id))
        raise
    await webhooks.forget_old_deliveries(pool)
    for outcome in outcomes:
        log.info("push %s to %s: %s for repository %s", push.after[:12], push.full_name,
                 outcome.outcome, outcome.repository_id)  # fmt: skip
    return _ack(
        f"Push to {push.full_name} handled", runs=[outcome.to_json() for outcome in outcomes]
    )


_ANSWER = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
# A payload's shape depends on its event; a push's fields that are read, as an example.
_PAYLOAD = {
    "type": "object",
    "description": "The event's payload. Of a push, `ref`, `after`, `deleted`, "
    "`repository.full_name` and `repository.default_branch` are read.",
}
_PUSH_EXAMPLE = {
    "ref": "refs/heads/main",
    "before": "0" * 40,
    "after": "9fceb02d0ae598e95dc970b74767f19372d61af8",
    "deleted": False,
    "repository": {"full_name": "octo/hello", "default_branch": "main"},
}


OPENAPI_PATHS: dict[str, Any] = {
    "/webhooks/github": {
        "post": {
            "summary": "GitHub webhook deliveries (push to the default branch starts a run)",
            "description": "Signed with X-Hub-Signature-256 for GITHUB_WEBHOOK_SECRET. "
            "Answers ping; a push to the default branch of a registered repository starts a "
            "run per registration, or one more run after the run in progress; a redelivery "
            "does nothing; every other event and unknown repositories are acknowledged.",
            "parameters": [
                {"name": name, "in": "header", "required": True, "schema": schema}
                for name, schema in (
                    ("X-GitHub-Event", {"type": "string", "minLength": 1, "example": "push"}),
                    (
                        "X-GitHub-Delivery",
                        {
                            "type": "string",
                            "minLength": 1,
                            "example": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
                        },
                    ),
                    ("X-Hub-Signature-256", {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"}),
                )
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": _PAYLOAD,
                        "examples": {"push": {"value": _PUSH_EXAMPLE}},
                    },
                    "application/x-www-form-urlencoded": {"schema": {"type": "object"}},
                },
            },
            "responses": {
                "200": {
                    "description": "ping answered",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "202": {
                    "description": "Acknowledged: acted on, or ignored (the message says which)",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "400": {"description": "Missing headers or a malformed body", "content": _ANSWER},
                "401": {"description": "Missing or bad signature", "content": _ANSWER},
                "413": {
                    "description": "Body over DOCSGEN_MAX_WEBHOOK_BYTES (5 MiB by default)",
                    "content": _ANSWER,
                },
                "415": {"description": "Body is not JSON", "content": _ANSWER},
                "503": {
                    "description": "Webhooks not configured, too many deliveries at once, "
                    "or the database unavailable",
                    "content": _ANSWER,
                },
            },
        }
    }
}
