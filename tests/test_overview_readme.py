"""The README paragraph the Overview quotes: one that says what the project is."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

from tests.support.generation import pool, section
from tests.support.orientation import documented

__all__ = ["pool"]


def test_a_paragraph_asking_for_donations_is_not_the_description(
    pool: ProcessPoolExecutor,
) -> None:
    # itsdangerous's README names the project only under "Donate"; it opens with a motto
    # ("... so better sign this") and then says what the package does.
    overview = section(documented("itsdangerous", pool), "Overview")
    assert "The README says (`README.md:5`):\n\n> Various helpers to pass data to untrusted " \
           "environments and to get it back safe and sound." in overview  # fmt: skip
    assert "please donate today" not in overview


def test_a_paragraph_naming_the_project_is_still_preferred(pool: ProcessPoolExecutor) -> None:
    overview = section(documented("flask", pool), "Overview")
    assert "The README says (`README.md:3`):\n\n> Flask is a lightweight" in overview
