"""Reading Django's documentation as pages, against the single page it used to be, in one run.

    python -m bench.reader [--queries 200] [--rounds 3] [--baseline-rev REV] [--project NAME]

Starts ``docsgen serve`` on a fresh PostgreSQL database (DATABASE_URL, or the
tests' local server), registers Django 5.2.8's sdist (``tests/support/projects``)
and generates its documentation through the API.  Then it measures:

- the size of ``GET …/docs`` (table of contents and first page), as sent with
  and without gzip; target ≤ 256 KB;
- the size of every page (``GET …/docs/pages/{slug}``), the largest judged;
  target ≤ 512 KB;
- search latency, idle, over ``--queries`` varied queries taken from the
  documentation itself (exact qualified names, their last components, parts of
  identifiers, page titles, phrases of the text), p50 and p99 at the client;
  target p99 < 50 ms; the status poll (the cheapest answer) is timed beside it
  as the floor;
- in headless Chromium, the first page opened at ``/repositories/{id}`` and the
  largest page opened at its address: the time from navigation to its content
  laid out (target ≤ 1 s), the DOM's size (target ≤ 10,000 elements, the count
  the issue gave the single page: 224,000; Chromium's count of every node, text
  included, is printed beside it) and the JS heap
  after a garbage collection (target ≤ 30 MB); once served by docsgen, and
  once from its recorded answers by a bare server, as the baseline is.

The baseline, measured the same way in the same run: the page as it was before
pages (``web/`` at ``--baseline-rev``, the last commit of the single page),
served with the answer it read then, the whole documentation in one ``GET
…/docs`` (``content``, ``sections``, ``html`` of this run's ``docs.md``,
rendered by the same renderer).  Browser figures are medians over ``--rounds``.
``--project`` names another project of ``tests/support/projects`` (flask, for a
quick look).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web
from playwright.async_api import Browser, async_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.service import percentile, running_service  # noqa: E402
from docsgen.api.routes.pages import CONTENT_SECURITY_POLICY  # noqa: E402
from docsgen.generator.markdown import anchor  # noqa: E402
from docsgen.render import render_html  # noqa: E402
from tests.browser.support import CHROMIUM_ARGS  # noqa: E402
from tests.support.groups import chromium  # noqa: E402
from tests.support.projects import PROJECTS, checkout  # noqa: E402

# The last commit whose page showed the whole documentation as one page.
BASELINE_REV = "fefd173"
KB = 1024
TARGETS = {"docs": 256 * KB, "page": 512 * KB, "search_p99_ms": 50.0,
           "first_content_ms": 1000.0, "nodes": 10_000, "heap": 30 * KB * KB}  # fmt: skip
# Content shown: an element of the article's body, and its layout done (reading
# scrollHeight forces it), timed from the navigation's start.
CONTENT_SHOWN = """() => {
  const shown = document.querySelector("article.docs .doc-body :is(p, h1, h2, li, pre)");
  if (!shown) return false;
  void document.documentElement.scrollHeight;
  return performance.now();
}"""


def size(n: float) -> str:
    return f"{n / KB / KB:.2f} MB" if n >= KB * KB else f"{n / KB:.1f} KB"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


# --- the service --------------------------------------------------------------------------


@dataclass
class Api:
    url: str
    token: str
    repository_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def docs_url(self, rest: str = "") -> str:
        return f"{self.url}/api/repositories/{self.repository_id}/docs{rest}"


async def wire_size(session: aiohttp.ClientSession, api: Api, url: str, encoding: str) -> int:
    """Bytes of the answer's body as sent, for ``Accept-Encoding: encoding``."""
    headers = {**api.headers, "Accept-Encoding": encoding}
    async with session.get(url, headers=headers) as r:
        assert r.status == 200, (url, r.status, await r.text())
        return len(await r.read())


async def generate(session: aiohttp.ClientSession, api: Api) -> float:
    start = time.monotonic()
    async with session.post(f"{api.url}/api/generate-docs", headers=api.headers,
                            json={"repository_id": api.repository_id}) as r:  # fmt: skip
        assert r.status == 202, await r.text()
    while True:
        async with session.get(api.docs_url("/status"), headers=api.headers) as r:
            status = await r.json()
        if status["status"] != "generating":
            break
        await asyncio.sleep(0.5)
    assert status["status"] == "completed", status
    return time.monotonic() - start


# --- search queries from the documentation itself -----------------------------------------


KINDS = ("exact", "last", "partial", "title", "phrase")


def queries_from(pages: list[dict[str, Any]], count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(kind, query): exact qualified names (3 in 10), their last components (1 in 10),
    parts of identifiers (2 in 10), page titles (1 in 10), phrases of the text (the rest)."""
    rng = random.Random(seed)
    names: list[str] = []
    words: list[list[str]] = []
    for page in pages:
        names += re.findall(r'<h[1-6] id="([^"]+(?:\.|::)[^"]+)"', page["html"])
        for paragraph in re.findall(r"<p>([^<]{60,})</p>", page["html"]):
            words.append(re.findall(r"[A-Za-z]{3,}", paragraph))
    names = sorted(set(names))
    words = [w for w in words if len(w) >= 4]

    def last(name: str) -> str:
        return re.split(r"::|\.", name)[-1]

    def part(name: str) -> str:
        word = last(name).strip("_") or name
        if len(word) < 5:
            return word
        start = rng.randrange(0, len(word) - 4)
        return word[start : start + rng.randint(4, min(8, len(word) - start))]

    chosen = [("exact", n) for n in rng.sample(names, min(len(names), count * 3 // 10))]
    chosen += [("last", last(n)) for n in rng.sample(names, min(len(names), count // 10))]
    chosen += [("partial", part(n)) for n in rng.sample(names, min(len(names), count * 2 // 10))]
    titles = [p["title"] for p in pages]
    chosen += [("title", t) for t in rng.sample(titles, min(len(titles), count // 10))]
    while len(chosen) < count and words:
        text = rng.choice(words)
        start = rng.randrange(0, len(text) - 2)
        chosen.append(("phrase", " ".join(text[start : start + rng.randint(2, 3)])))
    rng.shuffle(chosen)
    return chosen[:count]


async def time_requests(
    session: aiohttp.ClientSession, api: Api, urls: list[str]
) -> tuple[list[float], list[dict[str, Any]]]:
    """Each URL once, one after the other (idle): milliseconds and answers."""
    times: list[float] = []
    answers = []
    for url in urls:
        start = time.perf_counter()
        async with session.get(url, headers=api.headers) as r:
            body = await r.read()
            assert r.status in (200, 304), (url, r.status, body[:200])
        times.append((time.perf_counter() - start) * 1000)
        answers.append(json.loads(body) if body else {})
    return times, answers


# --- the page of old ------------------------------------------------------------------------


def old_sections(markdown: str) -> list[dict[str, Any]]:
    """The sections of old: one per ``## `` heading of ``docs.md``, as the old run stored them."""
    found = []
    parts = re.split(r"(?m)^## (.+)$", markdown)
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        found.append({"title": title, "anchor": anchor(title), "markdown": f"## {title}{body}",
                      "warnings": body.count("\u26a0\ufe0f")})  # fmt: skip
    return found


def baseline_web(rev: str, into: Path) -> Path:
    """``web/`` as it was at ``rev``, with today's vendored libraries."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "web"],
                             check=True, capture_output=True).stdout  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    vendor = ROOT / "web" / "vendor"
    if vendor.is_dir():
        shutil.copytree(vendor, into / "web" / "vendor")
    return into / "web"


async def serve_recorded(web_dir: Path, api_answers: dict[str, bytes]) -> tuple[web.AppRunner, str]:
    """A page with the answers it reads: its files, and the API as recorded.  No
    database, no authentication: only what the browser does differs between two
    pages served so."""
    headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-cache"}
    types = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
             ".svg": "image/svg+xml", ".html": "text/html"}  # fmt: skip

    async def shell(request: web.Request) -> web.Response:
        body = (web_dir / "index.html").read_bytes()
        return web.Response(body=body, content_type="text/html", headers=headers)

    async def asset(request: web.Request) -> web.StreamResponse:
        target = (web_dir / request.match_info["path"]).resolve()
        if not target.is_relative_to(web_dir) or not target.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(
            target,
            headers={
                **headers,
                "Content-Type": types.get(target.suffix, "application/octet-stream"),
            },
        )

    async def answer(request: web.Request) -> web.Response:
        body = api_answers.get(request.path)
        if body is None:
            raise web.HTTPNotFound()
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/repositories/{id}", shell)
    app.router.add_get("/repositories/{id}/docs/{slug:.+}", shell)
    app.router.add_get("/assets/{path:.+}", asset)
    app.router.add_get("/api/{rest:.+}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}"


# --- the browser ---------------------------------------------------------------------------


@dataclass
class Shown:
    content_ms: float
    nodes: int  # every node of the document (Chromium's count: elements, text, comments)
    elements: int
    heap: float
    height: int


async def open_page(browser: Browser, url: str, sign_in: str | None) -> Shown:
    """Open ``url`` in a fresh context (signed in with the API token ``sign_in``)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        page = await context.new_page()
        if sign_in is not None:
            await page.goto(url.split("/repositories/")[0] + "/assets/favicon.svg")
            status = await page.evaluate(
                """(token) => fetch("/api/session", {method: "POST", body: JSON.stringify({token}),
                     headers: {"Content-Type": "application/json"}}).then((r) => r.status)""",
                sign_in,
            )
            assert status == 201, status
        await page.goto(url, wait_until="commit")
        handle = await page.wait_for_function(CONTENT_SHOWN, polling="raf", timeout=180_000)
        content_ms = float(await handle.json_value())
        cdp = await context.new_cdp_session(page)
        await cdp.send("Performance.enable")
        await cdp.send("HeapProfiler.collectGarbage")
        metrics = {
            m["name"]: m["value"] for m in (await cdp.send("Performance.getMetrics"))["metrics"]
        }
        height = await page.evaluate("document.documentElement.scrollHeight")
        elements = await page.evaluate("document.getElementsByTagName('*').length")
        return Shown(
            content_ms, int(metrics["Nodes"]), elements, metrics["JSHeapUsedSize"], int(height)
        )
    finally:
        await context.close()


async def median_shown(browser: Browser, url: str, sign_in: str | None, rounds: int) -> Shown:
    runs = [await open_page(browser, url, sign_in) for _ in range(rounds)]
    return Shown(
        statistics.median(r.content_ms for r in runs),
        int(statistics.median(r.nodes for r in runs)),
        int(statistics.median(r.elements for r in runs)),
        statistics.median(r.heap for r in runs),
        int(statistics.median(r.height for r in runs)),
    )


def shown_line(name: str, shown: Shown) -> str:
    return (f"  {name:<34} content {shown.content_ms:7.0f} ms   DOM {shown.nodes:8,} nodes "
            f"({shown.elements:7,} elements)   JS heap {size(shown.heap):>9}   "
            f"height {shown.height:10,} px")  # fmt: skip


# --- the run ---------------------------------------------------------------------------------


async def measure(api: Api, args: argparse.Namespace, tmp: Path) -> int:
    async with (
        aiohttp.ClientSession(auto_decompress=False) as raw,
        aiohttp.ClientSession() as session,
    ):
        seconds = await generate(session, api)
        project = PROJECTS[args.project]
        print(f"{project.package} {project.version}: documentation generated in {seconds:.1f} s")

        # --- sizes ---
        docs_plain = await wire_size(raw, api, api.docs_url(), "identity")
        docs_gzip = await wire_size(raw, api, api.docs_url(), "gzip")
        async with session.get(api.docs_url(), headers=api.headers) as r:
            docs = await r.json()
        slugs = [p["slug"] for p in docs["pages"]]
        urls = [api.docs_url(f"/pages/{s}") for s in slugs]
        _, pages = await time_requests(session, api, urls)
        page_sizes = [len(json.dumps(p, separators=(",", ":")).encode()) for p in pages]
        largest = max(range(len(pages)), key=page_sizes.__getitem__)
        largest_plain = await wire_size(raw, api, urls[largest], "identity")
        largest_gzip = await wire_size(raw, api, urls[largest], "gzip")
        async with session.get(f"{api.url}/api/repositories/{api.repository_id}/docs.md",
                               headers=api.headers) as r:  # fmt: skip
            markdown = await r.text()
        status = {k: v for k, v in docs.items() if k not in ("pages", "page")}
        old_docs = json.dumps({**status, "content": markdown, "sections": old_sections(markdown),
                               "html": render_html(markdown)}).encode()  # fmt: skip
        old_gzip = len(gzip.compress(old_docs, 6))
        print(f"\n{len(pages)} pages; docs.md {size(len(markdown.encode()))}")
        print("GET …/docs                          plain        gzip")
        print(f"  pages (toc + first page)     {size(docs_plain):>11} {size(docs_gzip):>11}   "
              f"target ≤ {size(TARGETS['docs'])}: {verdict(docs_plain <= TARGETS['docs'])}")  # fmt: skip
        print(f"  single page of old           {size(len(old_docs)):>11} {size(old_gzip):>11}   "
              f"(gzip as it would be; it was sent plain)")  # fmt: skip
        print(
            f"  pages / old                  {docs_plain / len(old_docs):11.4f} {docs_gzip / old_gzip:11.4f}"
        )
        print(f"largest page: {slugs[largest]}  {size(largest_plain)} plain, {size(largest_gzip)} gzip   "
              f"target ≤ {size(TARGETS['page'])}: {verdict(largest_plain <= TARGETS['page'])}")  # fmt: skip
        print(f"  median page {size(statistics.median(page_sizes))}; pages over 256 KB: "
              f"{sum(s > 256 * KB for s in page_sizes)}")  # fmt: skip

        # --- search ---
        queries = queries_from(pages, args.queries)
        search_urls = [api.docs_url(f"/search?q={quote(q, safe='')}&limit=20")
                       for _, q in queries]  # fmt: skip
        await time_requests(session, api, search_urls[:20])  # warm the connection and caches
        floor, _ = await time_requests(session, api, [api.docs_url("/status")] * len(queries))
        times, answers = await time_requests(session, api, search_urls)
        print(f"\nsearch, idle, {len(queries)} queries "
              f"({', '.join(f'{sum(k == kind for k, _ in queries)} {kind}' for kind in KINDS)})")  # fmt: skip
        p50, p99 = percentile(times, 50), percentile(times, 99)
        print(f"  search         p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   max {max(times):6.1f} ms   "
              f"target p99 < {TARGETS['search_p99_ms']:.0f} ms: {verdict(p99 < TARGETS['search_p99_ms'])}")  # fmt: skip
        print(f"  status (floor) p50 {percentile(floor, 50):6.1f} ms   p99 {percentile(floor, 99):6.1f} ms"
              f"   search/floor p50 ×{p50 / percentile(floor, 50):.1f}")  # fmt: skip
        for kind in KINDS:
            mine = [t for (k, _), t in zip(queries, times, strict=True) if k == kind]
            if mine:
                print(
                    f"  {kind:<8}       p50 {percentile(mine, 50):6.1f} ms   p99 {percentile(mine, 99):6.1f} ms"
                )
        exact = [(q, a) for (k, q), a in zip(queries, answers, strict=True) if k == "exact"]
        first = sum(bool(a.get("results")) and a["results"][0]["title"] == q for q, a in exact)
        found = sum(bool(a.get("results")) for (_, _), a in zip(queries, answers, strict=True))
        print(
            f"  an exact name ranked first: {first}/{len(exact)}; queries with results: {found}/{len(queries)}"
        )

        # --- the browser ---
        web_dir = baseline_web(args.baseline_rev, tmp)
        async with session.get(
            f"{api.url}/api/repositories/{api.repository_id}", headers=api.headers
        ) as r:
            repository = await r.read()
        async with session.get(f"{api.url}/api/config") as r:
            config = await r.read()
        session_json = json.dumps({"login": "bench", "auth": "session", "csrf_token": "x"}).encode()
        common = {
            "/api/config": config,
            "/api/session": session_json,
            f"/api/repositories/{api.repository_id}": repository,
        }
        async with session.get(api.docs_url(), headers=api.headers) as r:
            docs_bytes = await r.read()
        async with session.get(urls[largest], headers=api.headers) as r:
            largest_bytes = await r.read()
        new_answers = {
            **common,
            f"/api/repositories/{api.repository_id}/docs": docs_bytes,
            f"/api/repositories/{api.repository_id}/docs/pages/{slugs[largest]}": largest_bytes,
        }
        old_answers = {**common, f"/api/repositories/{api.repository_id}/docs": old_docs}
        runner, old_url = await serve_recorded(web_dir, old_answers)
        new_runner, new_url = await serve_recorded(ROOT / "web", new_answers)
        try:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=chromium(), headless=True, args=CHROMIUM_ARGS
                )
                try:
                    page_url = f"{api.url}/repositories/{api.repository_id}"
                    first_page = await median_shown(browser, page_url, api.token, args.rounds)
                    big = await median_shown(
                        browser, f"{page_url}/docs/{slugs[largest]}", api.token, args.rounds
                    )
                    recorded_url = f"{new_url}/repositories/{api.repository_id}"
                    first_recorded = await median_shown(browser, recorded_url, None, args.rounds)
                    big_recorded = await median_shown(
                        browser, f"{recorded_url}/docs/{slugs[largest]}", None, args.rounds
                    )
                    old = await median_shown(
                        browser, f"{old_url}/repositories/{api.repository_id}", None, args.rounds
                    )
                finally:
                    await browser.close()
        finally:
            await runner.cleanup()
            await new_runner.cleanup()
        print(f"\nheadless Chromium, median of {args.rounds}: navigation to the content laid out")
        print("served by docsgen (PostgreSQL, sessions):")
        print(shown_line("pages: first page", first_page))
        print(shown_line(f"pages: largest ({slugs[largest]})", big))
        print("served from recorded answers (the same for both pages):")
        print(shown_line("pages: first page", first_recorded))
        print(shown_line(f"pages: largest ({slugs[largest]})", big_recorded))
        print(shown_line("single page of old", old))
        for name, shown in (("first page", first_recorded), ("largest page", big_recorded)):
            print(f"  {name} / old: time ×{shown.content_ms / old.content_ms:.3f}  "
                  f"nodes ×{shown.nodes / old.nodes:.4f}  heap ×{shown.heap / old.heap:.3f}  "
                  f"height ×{shown.height / old.height:.4f}")  # fmt: skip
        for name, shown in (("first page", first_page), ("largest page", big)):
            print(f"  {name}: content ≤ 1 s {verdict(shown.content_ms <= TARGETS['first_content_ms'])}, "
                  f"DOM ≤ 10,000 elements {verdict(shown.elements <= TARGETS['nodes'])}, "
                  f"heap ≤ 30 MB {verdict(shown.heap <= TARGETS['heap'])}")  # fmt: skip
    return 0


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    parser.add_argument("--project", default="django", choices=sorted(PROJECTS))
    args = parser.parse_args()

    repo_path = checkout(args.project)
    async with running_service(repo_path.parent) as running:
        service, token = running.service, running.token
        async with aiohttp.ClientSession() as s:
            async with s.post(f"{service.url}/api/repositories",
                              headers={"Authorization": f"Bearer {token}"},
                              json={"provider": "local", "path": str(repo_path)}) as r:  # fmt: skip
                repo = await r.json()
        return await measure(Api(service.url, token, repo["id"]), args, running.folder)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
