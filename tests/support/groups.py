"""Groups of tests that need something of the machine, checked before any test runs.

A run that selects a group whose needs are missing stops at collection, naming
what is missing and the one command that installs it: a whole group never skips
quietly.  ``--no-<group>`` leaves a group out on purpose; its tests are then
reported as skipped, with that reason.

Which tests belong to a group: everything under ``tests/browser`` is
``browser``; others are marked ``@pytest.mark.needs("diagrams")`` (or a module's
``pytestmark``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from docsgen.api.routes.pages import mermaid_library, mermaid_url

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
NEEDS = "needs"


def chromium() -> str:
    """The Chromium the browser tests drive (``DOCSGEN_TEST_CHROMIUM``, default Debian's)."""
    return os.environ.get("DOCSGEN_TEST_CHROMIUM") or "/usr/bin/chromium"


def nginx() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def _apt(*packages: str) -> str:
    sudo = "" if os.geteuid() == 0 else "sudo "
    return f"{sudo}apt-get install -y {' '.join(packages)}"


def _vendor_command() -> str:
    fetch = "scripts/fetch-web-vendor"
    return fetch if shutil.which("npm") else f"{_apt('npm')} && {fetch}"


@dataclass(frozen=True)
class Need:
    what: str
    present: Callable[[], bool]
    install: Callable[[], str]  # the one command that installs it, on this machine


@dataclass(frozen=True)
class Group:
    name: str
    tests: str  # which tests, as the message reads
    needs: tuple[Need, ...]

    @property
    def option(self) -> str:
        return f"--no-{self.name}"


GROUPS = {
    group.name: group
    for group in (
        Group(
            "browser",
            "the browser tests (tests/browser)",
            (Need("chromium", lambda: Path(chromium()).is_file(), lambda: _apt("chromium")),),
        ),
        Group(
            "diagrams",
            "the diagram tests",
            (
                Need(
                    "the page's diagram library in web/vendor",
                    lambda: mermaid_url() is not None and mermaid_library() is not None,
                    _vendor_command,
                ),
            ),
        ),
        Group(
            "nginx",
            "the reverse proxy test (tests/test_nginx_proxy.py)",
            (Need("nginx", lambda: Path(nginx()).is_file(), lambda: _apt("nginx")),),
        ),
    )
}


def groups_of(item: pytest.Item) -> set[str]:
    names = {name for marker in item.iter_markers(NEEDS) for name in marker.args}
    if item.path.is_relative_to(BROWSER_TESTS):
        names.add("browser")
    unknown = names - GROUPS.keys()
    assert not unknown, f"{item.nodeid}: unknown test group(s) {sorted(unknown)}"
    return names


def missing_report(missing: list[tuple[Group, Need, int]]) -> str:
    """What the run lacks, per group: the thing, the command that installs it, the way out."""
    lines = ["Some selected tests need what this machine lacks:"]
    for group, need, count in missing:
        lines.append(f"  {need.what}, for {group.tests}, {count} test(s); install it with:")
        lines.append(f"      {need.install()}")
    options = " ".join(dict.fromkeys(group.option for group, _, _ in missing))
    lines.append(f"Or leave those tests out on purpose with: {options}")
    return "\n".join(lines)


def pytest_addoption(parser: pytest.Parser) -> None:
    for group in GROUPS.values():
        parser.addoption(
            group.option,
            action="store_true",
            help=f"leave out {group.tests} (they need: "
            + ", ".join(need.what for need in group.needs)
            + ")",
        )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{NEEDS}(*groups): the test belongs to these groups ({', '.join(GROUPS)}); "
        "their needs are checked before the run",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    left_out = [group for group in GROUPS.values() if config.getoption(group.option)]
    selected: dict[str, list[pytest.Item]] = {}
    for item in items:
        names = groups_of(item)
        dropped = [group.option for group in left_out if group.name in names]
        if dropped:
            item.add_marker(pytest.mark.skip(reason=f"left out with {' '.join(dropped)}"))
            continue
        for name in names:
            selected.setdefault(name, []).append(item)
    missing = [
        (GROUPS[name], need, len(members))
        for name, members in selected.items()
        for need in GROUPS[name].needs
        if not need.present()
    ]
    if missing:
        raise pytest.UsageError(missing_report(missing))
