"""The documentation read as pages, on Django's sdist: answer sizes and search latency.

Run:  python -m bench.reader            (DATABASE_URL or the local PostgreSQL)

Starts ``docsgen serve`` on a fresh database, documents Django's sdist (the
pinned one of ``tests/support/projects.py``), then prints:

- the size of ``GET …/docs`` (the status, the table of contents and the first
  page; target ≤ 256 KB), as sent and gzipped, beside the answer the single page
  had before pages (the whole Markdown twice, as ``content`` and in
  ``sections``, plus its HTML: rebuilt here from ``docs.md`` and the same
  renderer, so both are measured in this run);
- the largest page (target ≤ 512 KB of JSON);
- search latency p50/p99 over 200 varied queries, one at a time, while idle
  (target p99 < 50 ms): exact qualified names, last components, partial
  identifiers, page titles and phrases of the text.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.poll import percentile
from docsgen.render import render_html
from tests.support import database, projects
from tests.support.processes import Service, create_user

_ID = re.compile(r'<h[2-6] id="([^"]+)"')
_WORDS = re.compile(r"[A-Za-z]{4,}(?: [A-Za-z]{2,}){2,3}")


def queries(pages: list[dict[str, Any]], count: int, seed: int = 7) -> list[str]:
    """``count`` queries of five kinds, drawn from what the pages show."""
    rng = random.Random(seed)
    names = [i for p in pages for i in _ID.findall(p["html"]) if "." in i or "::" in i]
    titles = [p["title"] for p in pages]
    phrases = [m.group(0) for p in pages for m in _WORDS.finditer(p["markdown"][:20000])]
    kinds = [
        lambda: rng.choice(names),  # an exact qualified name
        lambda: re.split(r"::|\.", rng.choice(names))[-1],  # its last component
        lambda: (lambda n: n[: max(4, len(n) * 2 // 3)])(  # a partial identifier
            re.split(r"::|\.", rng.choice(names))[-1]
        ),
        lambda: rng.choice(titles),  # a page title
        lambda: rng.choice(phrases),  # a phrase of the text
    ]
    return [kinds[i % len(kinds)]() for i in range(count)]


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--project", default="django")
    args = parser.parse_args()

    admin = os.environ.get("DATABASE_URL") or database.admin_url()
    template = await database.create_template(admin)
    name = await database.create_from_template(admin, template)
    dsn = database.with_database(admin, name)
    with tempfile.TemporaryDirectory() as tmp:
        repo_path = Path(tmp) / "repos" / args.project
        shutil.copytree(projects.checkout(args.project), repo_path, symlinks=True)
        env = {
            "DATABASE_URL": dsn,
            "DOCSGEN_LOCAL_ROOTS": str(repo_path.parent),
            "DOCSGEN_DATA_DIR": str(Path(tmp) / "data"),
            "DOCSGEN_SECRET_KEY": "bench-secret-key-0123456789abcdef",
        }
        token = create_user(env, "bench")
        service = Service(env, Path(tmp) / "serve.log")
        headers = {"Authorization": f"Bearer {token}"}
        try:
            await service.wait_ready()
            async with aiohttp.ClientSession(auto_decompress=False) as s:
                await measure(s, service.url, headers, repo_path, args.queries)
        finally:
            service.terminate()
            await database.drop(admin, name)
            await database.drop(admin, template)
    return 0


async def measure(
    s: aiohttp.ClientSession, url: str, headers: dict[str, str], repo_path: Path, count: int
) -> None:
    async with s.post(f"{url}/api/repositories", headers=headers,
                      json={"provider": "local", "path": str(repo_path)}) as r:  # fmt: skip
        repo = await r.json()
    base = f"{url}/api/repositories/{repo['id']}/docs"
    start = time.monotonic()
    async with s.post(f"{url}/api/generate-docs", headers=headers,
                      json={"repository_id": repo["id"]}) as r:  # fmt: skip
        assert r.status == 202, await r.text()
    while True:
        async with s.get(f"{base}/status", headers=headers) as r:
            status = await r.json()
        if status["status"] != "generating":
            break
        await asyncio.sleep(0.5)
    assert status["status"] == "completed", status
    print(f"generation: {time.monotonic() - start:.1f} s")

    plain = {**headers, "Accept-Encoding": "identity"}
    zipped = {**headers, "Accept-Encoding": "gzip"}
    async with s.get(base, headers=plain) as r:
        first = await r.read()
    async with s.get(base, headers=zipped) as r:
        first_gz = await r.read()
    docs = json.loads(first)
    async with s.get(f"{base}.md", headers=plain) as r:
        whole = (await r.read()).decode()
    html = render_html(whole)
    single = json.dumps({**status, "content": whole, "html": html,
                         "sections": [{"markdown": whole}]}).encode()  # fmt: skip
    print(f"GET …/docs: {len(first) / 1024:.0f} KB ({len(first_gz) / 1024:.0f} KB gzipped), "
          f"{len(docs['pages'])} pages in its table of contents; target ≤ 256 KB: "
          f"{'met' if len(first) <= 256 * 1024 else 'NOT met'}")  # fmt: skip
    print(f"  the single page before: {len(single) / 1024 / 1024:.1f} MB "
          f"({len(gzip.compress(single, 6)) / 1024 / 1024:.1f} MB had it been gzipped; it was not)")  # fmt: skip

    pages = []
    largest = (0, "")
    start = time.monotonic()
    for entry in docs["pages"]:
        async with s.get(f"{base}/pages/{entry['slug']}", headers=plain) as r:
            body = await r.read()
        largest = max(largest, (len(body), entry["slug"]))
        pages.append(json.loads(body))
    print(f"pages: {len(pages)} read in {time.monotonic() - start:.1f} s; the largest "
          f"{largest[1]} is {largest[0] / 1024:.0f} KB of JSON; target ≤ 512 KB: "
          f"{'met' if largest[0] <= 512 * 1024 else 'NOT met'}")  # fmt: skip

    latencies = []
    for q in queries(pages, count):
        began = time.perf_counter()
        async with s.get(f"{base}/search", params={"q": q}, headers=headers) as r:
            await r.read()
            assert r.status == 200, (q, r.status)
        latencies.append(time.perf_counter() - began)
    p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
    print(f"search: {len(latencies)} queries, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
          f"max {max(latencies) * 1000:.1f} ms; target p99 < 50 ms: "
          f"{'met' if p99 < 50 else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
