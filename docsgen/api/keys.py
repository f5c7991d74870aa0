"""Typed keys for what the app holds: no string keys, nothing global."""

from __future__ import annotations

import asyncpg
from aiohttp import web

from docsgen.db.accounts import User
from docsgen.jobs.lifecycle import RunDeps
from docsgen.live.hub import Hub
from docsgen.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
POOL = web.AppKey("pool", asyncpg.Pool)
RUN_DEPS = web.AppKey("run_deps", RunDeps)
LIVE_HUB = web.AppKey("live_hub", Hub)
# The caller of the current request, set by the auth layer.
REQUEST_USER = web.RequestKey("user", User)

__all__ = ["LIVE_HUB", "POOL", "REQUEST_USER", "RUN_DEPS", "SETTINGS", "User"]
