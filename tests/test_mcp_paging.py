"""Long MCP answers in parts: cut at line ends, never inside a code block, and each part
but the last names the call for the next."""

from __future__ import annotations

import re

import pytest

from docsgen.errors import InvalidInput
from docsgen.mcp.paging import paged, split_parts


def entry(i: int) -> str:
    return (
        f"## `f{i}`\n\n```python\ndef f{i}(x: int = {i}) -> int\n```\n\n"
        f"*function* · `pkg/m.py:{i * 4 + 1}`\n\nReturns `x`, {'and more ' * (i % 7)}unchanged.\n"
    )


MARKDOWN = "# `pkg.m`\n\n" + "\n".join(entry(i) for i in range(200))


def unfenced(parts: list[str]) -> str:
    """The parts joined again, without the fences a cut added."""
    text = ""
    for number, part in enumerate(parts):
        if number and text.endswith("```\n") and part.startswith("```python\n"):
            text = text[: -len("```\n")]
            part = part[len("```python\n") :]
        text += part
    return text


@pytest.mark.parametrize("size", [200, 1000, 5000])
def test_parts_are_whole_lines_and_add_up_to_the_answer(size: int) -> None:
    parts = split_parts(MARKDOWN, size)
    assert len(parts) > 1
    for part in parts:
        assert len(part) <= size + 20  # a closing fence may follow the last line
        assert len(re.findall(r"^```", part, re.M)) % 2 == 0, part  # every block closed
    assert unfenced(parts) == MARKDOWN


def test_a_cut_inside_a_code_block_closes_and_reopens_it() -> None:
    block = "```python\n" + "".join(f"line_{i} = {i}\n" for i in range(50)) + "```\n"
    parts = split_parts("# Code\n\n" + block, 300)
    assert len(parts) > 2
    assert all(p.rstrip("\n").endswith("```") for p in parts[:-1])
    assert all(p.startswith("```python\n") for p in parts[1:])


def test_a_line_longer_than_a_part_is_cut() -> None:
    parts = split_parts("x" * 2500 + "\n", 1000)
    assert [len(p.rstrip("\n")) for p in parts] == [1000, 1000, 500]


def test_each_part_but_the_last_names_the_call_for_the_next() -> None:
    def call(n: int) -> str:
        return f'read_page(repository="r", slug="s", page={n})'

    count = len(split_parts(MARKDOWN, 1000))
    first = paged(MARKDOWN, 1, call, size=1000)
    assert first.endswith(
        f'*Part 1 of {count}. The next part: `read_page(repository="r", slug="s", page=2)`.*\n'
    )
    last = paged(MARKDOWN, count, call, size=1000)
    assert last.endswith(f"*Part {count} of {count}, the last.*\n")
    assert paged("# Short\n", 1, call) == "# Short\n"
    with pytest.raises(
        InvalidInput, match=f"page {count + 1} does not exist: this answer has {count} parts"
    ):
        paged(MARKDOWN, count + 1, call, size=1000)
