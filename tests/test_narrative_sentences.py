"""A model's Markdown cut into blocks and sentences: code spans, citations and "e.g." left whole."""

from __future__ import annotations

from docsgen.narrative.sentences import Block, blocks, split_sentences


def test_full_stops_inside_code_spans_and_citations_end_no_sentence() -> None:
    text = (
        "`app.Client.get` sends a request (`src/app/client.py:12`). It returns a `Response`. "
        "Options, e.g. `timeout`, are read by `app.settings.load`! Is it fast? Yes."
    )
    assert split_sentences(text) == [
        "`app.Client.get` sends a request (`src/app/client.py:12`).",
        "It returns a `Response`.",
        "Options, e.g. `timeout`, are read by `app.settings.load`!",
        "Is it fast?",
        "Yes.",
    ]


def test_a_full_stop_before_lower_case_or_in_a_number_ends_nothing() -> None:
    assert split_sentences("Version 2.0 adds keys. then more text v1.2 here.") == [
        "Version 2.0 adds keys. then more text v1.2 here."
    ]


def test_links_are_kept_whole() -> None:
    assert split_sentences("See [the guide. Really](https://x.example/a.b). Then go.") == [
        "See [the guide. Really](https://x.example/a.b).",
        "Then go.",
    ]


def test_an_answer_splits_into_paragraphs_items_headings_code_and_tables() -> None:
    answer = (
        "## Heading\n\nFirst paragraph\ngoes on.\n\n- one item\n  continued\n2. second item\n\n"
        "```python\nprint('x')\n```\n\n| a | b |\n|---|---|\n\n> quoted text\n"
    )
    assert blocks(answer) == [
        Block("heading", "Heading"),
        Block("paragraph", "First paragraph goes on."),
        Block("item", "one item continued", "-"),
        Block("item", "second item", "2."),
        Block("code", "print('x')"),
        Block("table", "| a | b | |---|---|"),
        Block("paragraph", "quoted text"),
    ]
