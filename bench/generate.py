"""Documenting Django's source with docsgen, against griffe loading the same tree, in one run.

    python bench/generate.py [--workers N] [--rounds N] [--cache-dir DIR] [--database URL]

Downloads Django 5.2.8's source once (``pip download --no-binary :all:``) into
the cache folder, and makes a git repository of its ``django`` package (with
the project's top-level files) in a temporary folder.  Then, each in a fresh
process whose whole process tree is sampled for memory:

- griffe loads the same ``django`` package statically;
- docsgen reads the repository through the service's local source and
  generates the documentation with an empty analysis cache (the full run);
  then, three times, one file is changed and committed and the documentation
  is generated again with the caches filled before (the regenerations: the
  median one is reported).

This is done in rounds (``--rounds``, 3 by default; these machines are shared
and noisy): each round is printed in a line, the median round in full, and
each target is judged on its median over the rounds.

It prints wall and CPU times, the peak memory of each whole process tree
(RSS summed over the processes, which counts shared pages once per process
that maps them; PSS, which shares them out; USS, private pages only), and how
much of the public API griffe finds (functions, classes, methods) appears in
docsgen's API Reference, with the ratios the project targets: full run at
most 0.6 of griffe's time, peak memory at most twice griffe's, coverage at
least 99 %, regeneration at most 0.1 of the full run.  ``--database URL`` keeps
docsgen's caches in PostgreSQL as the service does (the server's memory is not
part of the tree); by default they are dicts in docsgen's process.  The full run counts
reading the repository (git) and generating; the regeneration counts
generating, compared with the full run's generating (its reading is printed
apart).  The worker pool is started before the clock, its workers ready (their
code loaded), as the service starts them when it starts; its start-up time is
printed apart.  Needs the test extra (griffe,
psutil).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DJANGO = "django==5.2.8"
SDIST = "django-5.2.8"
CHANGED_FILE = "django/utils/text.py"
CHANGE = '\n\ndef shout(text):\n    """Return ``text`` in capitals (added by the benchmark)."""\n'
EDITING = "editing"  # present in the output folder while the benchmark edits the repository
REGENERATIONS = 3  # one-file changes after the full run; the median one is reported
TARGETS = {"time": 0.6, "rss": 2.0, "coverage": 0.99, "regeneration": 0.1}


# --- preparing the tree -------------------------------------------------------------------


def download(cache_dir: Path) -> Path:
    """The unpacked sdist, downloaded on first use."""
    unpacked = cache_dir / SDIST
    if unpacked.is_dir():
        return unpacked
    cache_dir.mkdir(parents=True, exist_ok=True)
    archive = cache_dir / f"{SDIST}.tar.gz"
    if not archive.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:",
             "--no-deps", DJANGO, "-d", str(cache_dir)],
            check=True,
        )  # fmt: skip
    with tarfile.open(archive) as tar:
        tar.extractall(cache_dir, filter="data")
    return unpacked


def make_repository(sdist: Path, work: Path) -> Path:
    """A git repository of the ``django`` package and the project's top-level files.

    Its objects are packed, as in any cloned repository.
    """
    from tests.support.gitrepo import git, make_repo

    repo = work / "django"
    repo.mkdir(parents=True)
    shutil.copytree(sdist / "django", repo / "django")
    for item in sdist.iterdir():
        if item.is_file():
            shutil.copy2(item, repo / item.name)
    make_repo(repo, {})
    git(repo, "repack", "-adq")
    git(repo, "prune")
    return repo


# --- the two contenders, each in its own process ------------------------------------------


def tree_cpu() -> float:
    """CPU seconds used so far by this process, its live descendants and its waited children."""
    import psutil

    me = psutil.Process()
    times = me.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for process in me.children(recursive=True):
        try:
            t = process.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass  # ended meanwhile: counted with its parent once waited for
    return total


@contextlib.asynccontextmanager
async def _caches(database: str | None) -> AsyncIterator[tuple[Any, Any]]:
    """The analysis cache and the derived one: dicts, or PostgreSQL as the service keeps them
    (in a migrated scratch database on the server ``database`` names, dropped after)."""
    from docsgen.generator.engine.analysis_store import MemoryStore
    from docsgen.generator.version import CACHE_VERSION

    if database is None:
        yield MemoryStore(), MemoryStore()
        return
    import asyncpg

    from docsgen.db.analysis_cache import PostgresAnalysisCache
    from tests.support.database import create_template, drop, with_database

    name = await create_template(database)
    try:
        async with asyncpg.create_pool(with_database(database, name)) as pool:
            yield (PostgresAnalysisCache(pool, version=CACHE_VERSION),
                   PostgresAnalysisCache(pool, "section_cache", version=CACHE_VERSION))  # fmt: skip
    finally:
        await drop(database, name)


async def _docsgen(repo: Path, out: Path, workers: int, database: str | None) -> dict[str, Any]:
    async with _caches(database) as (cache, derived):
        result = await _measure_docsgen(repo, out, workers, cache, derived)
    result["caches"] = "PostgreSQL" if database else "dicts in the process"
    return result


async def _measure_docsgen(
    repo: Path, out: Path, workers: int, cache: Any, derived: Any
) -> dict[str, Any]:
    from docsgen.generator.engine.run import Engine
    from docsgen.generator.pipeline import generate
    from docsgen.sources.base import SourceLimits
    from docsgen.sources.local import LocalSource
    from tests.support.gitrepo import commit

    async def progress(percent: int, step: str) -> None:
        return None

    from docsgen.generator.engine.pool import analysis_pool

    started = time.perf_counter()
    executor = analysis_pool(workers)  # as the service and the command line start it
    ready: set[int] = set()
    while len(ready) < workers:  # until every worker has answered: all are ready
        ready |= {f.result() for f in [executor.submit(os.getpid) for _ in range(workers)]}
    pool_start = time.perf_counter() - started

    engine = Engine(executor, cache, derived)  # one for the process, as the service keeps it
    limits = SourceLimits(2 * 1024**3, 1024 * 1024, 100_000)
    source = LocalSource(repo, name=repo.name, roots=(repo.parent,), limits=limits)
    cpu_start = tree_cpu()
    full_from = time.time()  # wall clock, shared with the sampler: when each run began
    started = time.perf_counter()
    snapshot = await source.fetch(progress)
    fetched = time.perf_counter()
    docs = await generate(snapshot, progress, engine)
    full = time.perf_counter()
    cpu_full = tree_cpu()

    # What the report needs from the full run is kept; the rest is let go before the
    # regeneration, as a service lets a finished run's results go.
    full_run = {
        "files_analysed": docs.stats.analysed,
        "ungrounded": len(docs.ungrounded),
        "markdown_bytes": len(docs.content.encode()),
    }
    api = next(s.markdown for s in docs.sections if s.title == "API Reference")
    (out / "django.md").write_text(docs.content)
    (out / "api.md").write_text(api)
    del docs, snapshot, api

    regen_from = time.time()
    regens: list[dict[str, float]] = []
    for n in range(REGENERATIONS):
        # The edit between the runs is the benchmark's, not docsgen's: the sampler skips
        # it (a git process forked from this one counts this process's pages again).
        editing = out / EDITING
        editing.touch()
        change = CHANGE.replace("def shout(", f"def shout_{n}(")
        commit(repo, {CHANGED_FILE: (repo / CHANGED_FILE).read_text() + change})
        editing.unlink()
        again_started = time.perf_counter()
        snapshot = await source.fetch(progress)
        again_fetched = time.perf_counter()
        cpu_again = tree_cpu()
        again = await generate(snapshot, progress, engine)
        again_done = time.perf_counter()
        regens.append({"fetch": again_fetched - again_started,
                       "generate": again_done - again_fetched,
                       "cpu": tree_cpu() - cpu_again})  # fmt: skip
        last = {"regen_analysed": again.stats.paths_analysed,
                "regen_cached": again.stats.cached,
                "regen_rebuilt": list(again.rebuilt),
                "regen_reused": list(again.reused)}  # fmt: skip
        del snapshot, again  # let go before the next one, as a service would
    executor.shutdown()
    median = sorted(regens, key=lambda r: r["generate"])[len(regens) // 2]

    return {
        **full_run,
        "pool_start": pool_start,
        "full_from": full_from,
        "regen_from": regen_from,
        "fetch": fetched - started,
        "generate": full - fetched,
        "wall": full - started,
        "cpu": cpu_full - cpu_start,
        "regen_cpu": median["cpu"],
        "regen_fetch": median["fetch"],
        "regen_generate": median["generate"],
        "regen_all": [r["generate"] for r in regens],
        **last,
    }


def _griffe(repo: Path, out: Path) -> dict[str, Any]:
    import griffe

    cpu_start = tree_cpu()
    started = time.perf_counter()
    griffe.load("django", search_paths=[str(repo)], allow_inspection=False, resolve_aliases=False)
    wall = time.perf_counter() - started
    cpu = tree_cpu() - cpu_start
    return {"wall": wall, "cpu": cpu}


def child(which: str, repo: Path, out: Path, workers: int, database: str | None) -> None:
    if which == "docsgen":
        result = asyncio.run(_docsgen(repo, out, workers, database))
    else:
        result = _griffe(repo, out)
    (out / f"{which}.json").write_text(json.dumps(result))


# --- measuring ----------------------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants, read from ``/proc/*/task/*/children`` (no scan of /proc).

    A child of ``pid`` still running ``pid``'s program is left out: it is between
    fork and exec (the git commands the local source runs), and a child made by
    vfork shares its parent's memory, which would be counted twice.
    """
    found, todo = [], [pid]
    program = _cmdline(pid)
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for tid in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{tid}/children") as f:
                    children = [int(child) for child in f.read().split()]
                if current == pid:
                    children = [c for c in children if _cmdline(c) != program]
                todo.extend(children)
        except OSError:
            pass  # ended while it was being read
    return found


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


def _memory(pid: int) -> tuple[int, int, int] | None:
    """(RSS, PSS, USS) of one process in bytes, from ``smaps_rollup``; None once it has ended."""
    fields: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                name, _, rest = line.partition(":")
                if rest.endswith(" kB\n"):
                    fields[name] = int(rest.split()[0]) * 1024
    except OSError:
        return None
    if "Rss" not in fields:
        return None  # a zombie: nothing mapped
    uss = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return fields["Rss"], fields.get("Pss", uss), uss


def _name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            words = f.read().split(b"\0")
        if not any(words):  # between fork and exec, or ending: its command's name
            with open(f"/proc/{pid}/stat", "rb") as f:
                words = [f.read().split(b") ", 1)[0] + b")", b"(no command line)"]
    except OSError:
        return "?"
    text = " ".join(w.decode(errors="replace") for w in words if w)
    return text if len(text) <= 60 else text[:57] + "..."


def run_measured(
    which: str, repo: Path, out: Path, workers: int, database: str | None = None
) -> dict[str, Any]:
    """Run one contender in a fresh process; sample its whole process tree's memory.

    The sampler reads ``/proc`` directly, which costs about a tenth of a
    millisecond a process: sampling through psutil's process scan took a
    quarter of a core, which a contender using every core pays in wall time.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Started with -c, not as a script: worker processes re-run a main script before
    # their first task, and this one's imports are not the service's.
    command = [sys.executable, "-c", "from bench.generate import main; main()",
               "--child", which, "--repo", str(repo), "--out", str(out),
               "--workers", str(workers)]  # fmt: skip
    if database is not None:
        command += ["--database", database]
    process = subprocess.Popen(command, env=env)
    peak_rss = peak_uss = peak_pss = 0
    peak_at = 0.0
    at_peak: list[tuple[str, int]] = []  # (command, RSS) of each process when RSS peaked
    while process.poll() is None:
        if (out / EDITING).exists():
            time.sleep(0.01)
            continue
        sample = [(pid, m) for pid in _tree(process.pid) if (m := _memory(pid)) is not None]
        rss = sum(m[0] for _, m in sample)
        if rss > peak_rss:
            names = {pid: which if pid == process.pid else _name(pid) for pid, _ in sample}
            peak_rss, at_peak = rss, [(names[pid], m[0]) for pid, m in sample]
            peak_at = time.time()
        peak_pss = max(peak_pss, sum(m[1] for _, m in sample))
        peak_uss = max(peak_uss, sum(m[2] for _, m in sample))
        time.sleep(0.01)
    if process.returncode != 0:
        raise SystemExit(f"the {which} run failed with exit code {process.returncode}")
    result: dict[str, Any] = json.loads((out / f"{which}.json").read_text())
    result["peak_rss"], result["peak_uss"], result["peak_pss"] = peak_rss, peak_uss, peak_pss
    result["at_peak"] = at_peak
    result["peak_at"] = peak_at
    return result


def coverage(out: Path, repo: Path) -> tuple[int, int, int, int]:
    """(griffe's public symbols, found in ours, functions in griffe, same parameters).

    griffe's public API here is the one users import: the package loaded again with its
    aliases resolved (``django.db.models.Field``), outside any measured run.
    """
    from tests.support.oracle import griffe_api, lookup, our_api

    theirs = griffe_api("django", repo)
    ours = our_api((out / "api.md").read_text())
    found = same = functions = 0
    for (module, qualname), (kind, params) in theirs.items():
        entry = lookup(ours, module, qualname)
        found += entry is not None
        if kind == "function":
            functions += 1
            expected = tuple(tuple(p) for p in params)
            same += entry is not None and entry.params == expected
    return len(theirs), found, functions, same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--cache-dir", type=Path,
                        default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
                        / "docsgen-bench")  # fmt: skip
    parser.add_argument("--database", metavar="URL",
                        help="keep docsgen's caches in PostgreSQL, as the service does: a "
                        "scratch database is made (and dropped) on the server at URL, for "
                        "example postgresql://postgres@127.0.0.1:5432/postgres; by default "
                        "they are dicts in the process")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of the two contenders, each in fresh processes; the "
                        "targets are judged on the median round (default 3)")  # fmt: skip
    parser.add_argument("--child", choices=["docsgen", "griffe"], help=argparse.SUPPRESS)
    parser.add_argument("--repo", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repo, args.out, args.workers, args.database)
        return

    sdist = download(args.cache_dir)
    rounds: list[tuple[dict[str, Any], dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="docsgen-bench-") as tmp:
        griffe_repo = make_repository(sdist, Path(tmp) / "griffe")
        for n in range(max(1, args.rounds)):
            work = Path(tmp) / f"round-{n}"
            ours_repo = make_repository(sdist, work / "ours")  # unchanged at each round's start
            out = work / "out"
            out.mkdir()
            griffe = run_measured("griffe", griffe_repo, out, args.workers)
            ours = run_measured("docsgen", ours_repo, out, args.workers, args.database)
            rounds.append((ours, griffe))
        total, found, functions, same = coverage(out, griffe_repo)
        kept = args.cache_dir / "django.md"
        shutil.copy(out / "django.md", kept)
    report(args.workers, rounds, total, found, functions, same, kept)


def _ratios(ours: dict[str, Any], griffe: dict[str, Any]) -> dict[str, float]:
    """The figures the targets are about, for one round."""
    return {
        "time": ours["wall"] / griffe["wall"],
        "rss": ours["peak_rss"] / griffe["peak_rss"],
        "pss": ours["peak_pss"] / griffe["peak_pss"],
        "regeneration": ours["regen_generate"] / ours["generate"],
    }


def report(
    workers: int,
    rounds: list[tuple[dict[str, Any], dict[str, Any]]],
    total: int,
    found: int,
    functions: int,
    same: int,
    kept: Path,
) -> None:
    """Each round in a line, the median round (by wall time ratio) in full, then the
    targets, each judged on its median over the rounds."""
    mib = 1024 * 1024
    ratios = [_ratios(ours, griffe) for ours, griffe in rounds]
    print(f"{len(rounds)} round(s); in each, griffe then docsgen, each in fresh processes")
    for n, ((ours, griffe), r) in enumerate(zip(rounds, ratios, strict=True), start=1):
        print(f"  round {n}: wall {ours['wall']:.2f} s vs {griffe['wall']:.2f} s "
              f"({r['time']:.2f}); summed RSS {ours['peak_rss'] / mib:.0f} vs "
              f"{griffe['peak_rss'] / mib:.0f} MiB ({r['rss']:.2f}); regenerations "
              + ", ".join(f"{t:.3f}" for t in ours["regen_all"])
              + f" s, median vs generate {ours['generate']:.2f} s ({r['regeneration']:.3f})")  # fmt: skip
    order = sorted(range(len(rounds)), key=lambda i: ratios[i]["time"])
    ours, griffe = rounds[order[len(order) // 2]]
    print(f"The median round: Django 5.2.8, {ours['files_analysed']} code files; "
          f"docsgen with {workers} workers, caches: {ours['caches']}")  # fmt: skip
    print(f"{'':28}{'docsgen':>12}{'griffe':>12}{'ratio':>8}")
    rows = [
        ("wall time (s)", ours["wall"], griffe["wall"]),
        ("CPU time, all processes (s)", ours["cpu"], griffe["cpu"]),
        ("peak RSS, process tree (MiB)", ours["peak_rss"] / mib, griffe["peak_rss"] / mib),
        ("peak PSS, process tree (MiB)", ours["peak_pss"] / mib, griffe["peak_pss"] / mib),
        ("peak USS, process tree (MiB)", ours["peak_uss"] / mib, griffe["peak_uss"] / mib),
    ]
    for name, a, b in rows:
        print(f"{name:28}{a:12.2f}{b:12.2f}{a / b:8.2f}")
    phase = ("before the full run" if ours["peak_at"] < ours["full_from"] else
             "during the full run" if ours["peak_at"] < ours["regen_from"] else
             "during the regeneration")  # fmt: skip
    print(f"docsgen's processes when their summed RSS peaked, {phase} (MiB):")
    for command, rss in ours["at_peak"]:
        print(f"  {rss / mib:8.2f}  {command}")
    print("griffe's processes when their summed RSS peaked (MiB):")
    for command, rss in griffe["at_peak"]:
        print(f"  {rss / mib:8.2f}  {command}")
    cov = found / total
    print(f"{'public API coverage':28}{cov:12.2%}{1:12.2%}")
    print(f"  griffe's public functions, classes, methods: {total}; in docsgen's: {found}; "
          f"functions and methods with the same parameters: {same} of {functions}")  # fmt: skip
    print(f"docsgen full run: fetch {ours['fetch']:.2f} s + generate {ours['generate']:.2f} s; "
          f"pool start-up (before the clock) {ours['pool_start']:.2f} s")  # fmt: skip
    regen = ours["regen_generate"]
    print(f"regeneration after changing {CHANGED_FILE} (the median of {REGENERATIONS}): "
          f"generate {regen:.3f} s "
          f"(CPU {ours['regen_cpu']:.2f} s), plus fetch {ours['regen_fetch']:.2f} s; "
          f"analysed anew: {ours['regen_analysed']}, "
          f"from the cache: {ours['regen_cached']}")  # fmt: skip
    print(f"  sections rebuilt: {ours['regen_rebuilt']}; reused: {ours['regen_reused']}")
    print(f"ungrounded citations: {ours['ungrounded']}; "
          f"Markdown: {ours['markdown_bytes']} bytes, kept in {kept}")  # fmt: skip
    checks = [
        ("full run <= 0.6 x griffe's wall time", "time", TARGETS["time"]),
        ("peak RSS <= 2 x griffe's (summed RSS)", "rss", TARGETS["rss"]),
        ("peak memory <= 2 x griffe's (summed PSS)", "pss", TARGETS["rss"]),
        ("regeneration <= 0.1 x full run (generate)", "regeneration", TARGETS["regeneration"]),
    ]
    for name, key, limit in checks:
        values = sorted(r[key] for r in ratios)
        value = values[len(values) // 2]
        print(f"target {name}: median {value:.3f} (rounds {values[0]:.3f} to {values[-1]:.3f}) "
              f"-> {'met' if value <= limit else 'NOT met'}")  # fmt: skip
    met = cov >= TARGETS["coverage"]
    print(f"target coverage >= 99 %: {cov:.2%} -> {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
