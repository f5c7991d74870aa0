"""The README's settings table is the settings code's: every variable, once, with its default."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from docsgen.settings import load_settings
from tests.support.processes import REPO_ROOT

_NAME = re.compile(r"`([A-Z][A-Z0-9_]*)`")
_VALUE = re.compile(r"`([^`]*)`")


class _Reads(dict[str, str]):
    """An empty environment that records which variables are asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.append(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.asked.append(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.asked.append(str(key))
        return super().__contains__(key)


def variables_the_code_reads() -> list[str]:
    """Every variable the settings read; the language model's are read once its address
    is set, so it is."""
    env = _Reads()
    env.update({"DOCSGEN_LLM_BASE_URL": "http://127.0.0.1:1/v1", "DOCSGEN_LLM_MODEL": "m"})
    load_settings(env)
    return list(dict.fromkeys(env.asked))


def table_rows() -> Iterator[tuple[list[str], str]]:
    """(variables, default cell) of each row of the README's Configuration table."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    assert rows[0] == "| variable | default | meaning |", "the table's heading changed"
    for row in rows[2:]:
        first, default, _meaning = (c.strip() for c in re.split(r"(?<!\\)\|", row.strip()[1:-1]))
        if first.startswith("**"):
            continue  # a group's heading row
        names = _NAME.findall(first)
        assert names, f"a row without a variable: {row}"
        yield names, default


def test_the_table_lists_every_variable_the_settings_read_once() -> None:
    listed = [name for names, _ in table_rows() for name in names]
    doubled = sorted({name for name in listed if listed.count(name) > 1})
    assert doubled == [], "listed twice in the README's settings table"
    read = variables_the_code_reads()
    assert sorted(set(read) - set(listed)) == [], "read by docsgen/settings.py, not in the README"
    assert sorted(set(listed) - set(read)) == [], "in the README, not read by docsgen/settings.py"


def test_each_default_in_backticks_behaves_as_the_variable_unset() -> None:
    unset = load_settings({})
    checked = 0
    for names, default in table_rows():
        if not default.startswith("`"):
            continue  # "unset: ...", or a default that depends on the machine
        values = _VALUE.findall(default)[: len(names)]
        assert len(values) == len(names), f"one default per variable: {names} {default}"
        for name, value in zip(names, values, strict=True):
            assert load_settings({name: value}) == unset, f"{name}={value} is not its default"
            checked += 1
    assert checked >= 30, "most defaults are written as values"
