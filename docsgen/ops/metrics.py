"""Prometheus metrics of one app: runs by outcome, run durations, runs in progress, HTTP
latency, and the requests and tokens spent on summaries by a language model.

Each app has its own registry (nothing global), so several apps in one
process (tests) do not mix their figures.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from docsgen.api.keys import RUN_DEPS
from docsgen.jobs.lifecycle import Run

RUN_BUCKETS = (1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600)
# Requests that match no route share one label, so scanners cannot grow the series.
UNMATCHED = "<unmatched>"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.runs = Counter(
            "docsgen_runs",
            "Generation runs finished in this process, by outcome",
            ["outcome"],
            registry=self.registry,
        )
        self.run_seconds = Histogram(
            "docsgen_run_duration_seconds",
            "Duration of generation runs, by outcome",
            ["outcome"],
            buckets=RUN_BUCKETS,
            registry=self.registry,
        )
        self.in_progress = Gauge(
            "docsgen_runs_in_progress",
            "Generation runs executing in this process",
            registry=self.registry,
        )
        self.model_requests = Counter(
            "docsgen_llm_requests",
            "Requests sent to the language model that writes summaries (every attempt)",
            registry=self.registry,
        )
        self.model_tokens = Counter(
            "docsgen_llm_tokens",
            "Tokens the language model reported for summaries, by kind (prompt, completion)",
            ["kind"],
            registry=self.registry,
        )
        self.http_seconds = Histogram(
            "docsgen_http_request_duration_seconds",
            "HTTP request latency, by method, route (canonical path) and status",
            ["method", "route", "status"],
            registry=self.registry,
        )

    def observe_request(self, request: web.Request, status: int, seconds: float) -> None:
        self.http_seconds.labels(request.method, route_label(request), str(status)).observe(seconds)

    async def run_finished(self, run: Run, outcome: str) -> None:
        self.runs.labels(outcome).inc()
        self.run_seconds.labels(outcome).observe(time.monotonic() - run.started)
        usage = run.model_usage
        if usage is not None:
            self.model_requests.inc(usage.requests)
            self.model_tokens.labels("prompt").inc(usage.prompt_tokens)
            self.model_tokens.labels("completion").inc(usage.completion_tokens)


METRICS = web.AppKey("metrics", Metrics)


def route_label(request: web.Request) -> str:
    """The route's canonical path (``/api/repositories/{id}``), never the raw URL."""
    info = request.match_info
    if info.http_exception is not None:
        return UNMATCHED
    resource = info.route.resource
    return resource.canonical if resource is not None else UNMATCHED


def install(app: web.Application) -> None:
    """Create the app's metrics and observe its runs once the run machinery exists."""
    metrics = Metrics()
    app[METRICS] = metrics

    async def observe_runs(app: web.Application) -> AsyncIterator[None]:
        deps = app[RUN_DEPS]
        deps.on_finished.append(metrics.run_finished)
        metrics.in_progress.set_function(lambda: len(deps.registry))
        yield

    app.cleanup_ctx.append(observe_runs)
