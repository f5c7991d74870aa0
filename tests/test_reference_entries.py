"""An API Reference entry says a symbol's kind once: in its label, or in its code."""

from __future__ import annotations

from docsgen.generator.reference import render

from docsgen.generator.analysis import analyse_file


def entry_lines(path: str, text: str) -> list[str]:
    """The rendered entries, without their citation placeholders."""
    return [
        line.rsplit(" — \x00", 1)[0]
        for line in render(analyse_file(path, text)).entries.splitlines()
    ]


def test_a_python_class_reads_class_once() -> None:
    lines = entry_lines(
        "dispatch/saferef.py",
        "class BoundMethodWeakref(object):\n"
        '    """A weak reference to a bound method."""\n\n'
        "    def __call__(self):\n"
        '        """The method, or None."""\n',
    )
    assert lines == [
        "- `class BoundMethodWeakref(object)` — A weak reference to a bound method.",
        "  - **method** `BoundMethodWeakref.__call__(self)` — The method, or None.",
    ]


def test_declarations_that_name_their_kind_get_no_label() -> None:
    lines = entry_lines(
        "src/shapes.ts",
        "/** A shape. */\nexport interface Shape { area(): number }\n"
        "/** Makes one. */\nexport function square(side: number): Shape { return null!; }\n"
        "/** A circle. */\nexport class Circle {}\n",
    )
    assert lines == [
        "- `interface Shape` — A shape.",
        "  - **method** `area(): number` — ⚠️ no documentation; described from the signature alone",
        "- `function square(side: number): Shape` — Makes one.",
        "- `class Circle` — A circle.",
    ]
    rust = entry_lines(
        "src/lib.rs",
        "/// A triangle.\npub struct Triangle;\n/// Area.\npub fn area() -> f64 { 0.0 }\n",
    )
    assert rust == [
        "- `pub struct Triangle` — A triangle.",
        "- **function** `pub fn area() -> f64` — Area.",
    ]
