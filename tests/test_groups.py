"""A group of tests that cannot run fails the run before it starts, unless left out on purpose."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.processes import REPO_ROOT

SIGNIN_TESTS = "tests/browser/test_signin.py"


def pytest_run(*args: str, chromium: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCSGEN_TEST_CHROMIUM": chromium}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_chromium_stops_the_run_saying_what_installs_it() -> None:
    result = pytest_run("-q", SIGNIN_TESTS, chromium="/nowhere/chromium")
    assert result.returncode == 4, result.stdout + result.stderr
    sudo = "" if os.geteuid() == 0 else "sudo "
    assert result.stderr.strip().splitlines() == [
        "ERROR: Some selected tests need what this machine lacks:",
        "  chromium, for the browser tests (tests/browser), 3 test(s); install it with:",
        f"      {sudo}apt-get install -y chromium",
        "Or leave those tests out on purpose with: --no-browser",
    ]
    assert "passed" not in result.stdout


def test_no_browser_leaves_the_browser_tests_out_as_skipped() -> None:
    result = pytest_run("-q", "-rs", SIGNIN_TESTS, "--no-browser", chromium="/nowhere/chromium")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SKIPPED [3] tests/browser/test_signin.py: left out with --no-browser" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("3 skipped in ")
