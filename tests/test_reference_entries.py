"""An API Reference entry says a symbol's kind once: in its label, or in its code."""

from __future__ import annotations

from docsgen.generator.analysis import analyse_file
from docsgen.generator.api_entries import PUBLIC_NAME, render


def entry_texts(path: str, text: str) -> list[str]:
    """Each rendered block, its public name filled in and its citation left out."""
    blocks = render(analyse_file(path, text)).blocks
    return [
        b.text.replace(PUBLIC_NAME, b.qualname.split(".")[0]).replace(f"\x00{b.citation}\x00", "@")
        for b in blocks
    ]


def test_a_python_class_reads_class_once() -> None:
    texts = entry_texts(
        "dispatch/saferef.py",
        "class BoundMethodWeakref(object):\n"
        '    """A weak reference to a bound method."""\n\n'
        "    def __call__(self):\n"
        '        """The method, or None."""\n',
    )
    assert texts == [
        "#### `BoundMethodWeakref`\n\n```python\nclass BoundMethodWeakref(object)\n```\n\n@\n\n"
        "A weak reference to a bound method.\n",
        "##### `BoundMethodWeakref.__call__`\n\n```python\ndef __call__(self)\n```\n\n"
        "*method* · @\n\nThe method, or None.\n",
    ]


def test_declarations_that_name_their_kind_get_no_label() -> None:
    texts = entry_texts(
        "src/shapes.ts",
        "/** A shape. */\nexport interface Shape { area(): number }\n"
        "/** Makes one. */\nexport function square(side: number): Shape { return null!; }\n"
        "/** A circle. */\nexport class Circle {}\n",
    )
    labels = [t.split("```\n\n", 1)[1].split("\n", 1)[0] for t in texts]
    assert labels == ["@", "*method* · @", "@", "@"]
    rust = entry_texts(
        "src/lib.rs",
        "/// A triangle.\npub struct Triangle;\n/// Area.\npub fn area() -> f64 { 0.0 }\n",
    )
    assert [t.split("```\n\n", 1)[1].split("\n", 1)[0] for t in rust] == ["@", "*function* · @"]
