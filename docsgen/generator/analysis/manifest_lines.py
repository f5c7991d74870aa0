"""Lines of values in TOML, JSON and INI manifests.

Parsers (``tomllib``, ``json``, ``configparser``) say *what* a manifest holds but
not *where*; a citation needs the line.  These helpers find, in the text, the
line a parsed value is written on.  They never raise: a value they cannot find
has no line (None), and the caller warns instead of citing.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

_HEADER = re.compile(r"^[ \t]*(\[\[?)[ \t]*([^\]\n]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$", re.MULTILINE)
_KEY_PART = re.compile(r"[ \t]*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+)[ \t]*")


class LineIndex:
    """Offsets to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def line_text(self, line: int) -> str:
        if not 1 <= line <= len(self._starts):
            return ""
        end = self._starts[line] - 1 if line < len(self._starts) else len(self.text)
        return self.text[self._starts[line - 1] : end]


def split_key(dotted: str) -> tuple[str, ...] | None:
    """``tool."my.x".y`` -> ("tool", "my.x", "y"); None when it is not a key."""
    parts: list[str] = []
    pos = 0
    while True:
        m = _KEY_PART.match(dotted, pos)
        if m is None:
            return None
        raw = m.group(1)
        parts.append(raw[1:-1] if raw[0] in "\"'" else raw)
        pos = m.end()
        if pos == len(dotted):
            return tuple(parts)
        if dotted[pos] != ".":
            return None
        pos += 1


@dataclass
class TomlLines:
    """Where tables, keys and array items of a TOML document are written."""

    text: str
    index: LineIndex = field(init=False)
    # (start offset of the header line, end offset of the table's body, table path)
    tables: list[tuple[int, int, tuple[str, ...]]] = field(init=False)

    def __post_init__(self) -> None:
        self.index = LineIndex(self.text)
        headers = []
        for m in _HEADER.finditer(self.text):
            path = split_key(m.group(2))
            if path is not None:
                headers.append((m.start(), m.end(), path))
        self.tables = [(0, headers[0][0] if headers else len(self.text), ())]
        for i, (start, end, path) in enumerate(headers):
            body_end = headers[i + 1][0] if i + 1 < len(headers) else len(self.text)
            self.tables.append((start, body_end, path))
            del end

    def table_line(self, path: tuple[str, ...], occurrence: int = 0) -> int | None:
        spans = [s for s in self.tables if s[2] == path and s[2]]
        if occurrence < len(spans):
            return self.index.line(spans[occurrence][0])
        return None

    def key_offset(self, path: tuple[str, ...], key: str, occurrence: int = 0) -> int | None:
        """Offset of ``key =`` inside table ``path`` (or dotted from a parent table)."""
        candidates = []
        for start, end, table in self.tables:
            if table == path:
                candidates.append((start, end, ""))
            elif path[: len(table)] == table and len(table) < len(path):
                candidates.append((start, end, _dotted(path[len(table) :])))
        spans = [c for c in candidates if c[2] == ""]
        if spans and occurrence < len(spans):
            start, end, _ = spans[occurrence]
            found = _find_key(self.text, start, end, key)
            if found is not None:
                return found
        for start, end, prefix in candidates:
            if prefix:
                found = _find_key(self.text, start, end, f"{prefix}.{_quote(key)}", raw=True)
                if found is not None:
                    return found
        return None

    def key_line(self, path: tuple[str, ...], key: str, occurrence: int = 0) -> int | None:
        offset = self.key_offset(path, key, occurrence)
        return None if offset is None else self.index.line(offset)

    def array_item_lines(
        self, path: tuple[str, ...], key: str, values: list[str]
    ) -> list[int | None]:
        """Lines of the string items of array ``key`` (in order); None where not found."""
        offset = self.key_offset(path, key)
        if offset is None:
            return [None] * len(values)
        return _item_lines(self.text, self.index, offset, values)


def _dotted(parts: tuple[str, ...]) -> str:
    return ".".join(_quote(p) for p in parts)


def _quote(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _find_key(text: str, start: int, end: int, key: str, *, raw: bool = False) -> int | None:
    if raw:
        pattern = r"^[ \t]*" + re.escape(key).replace(r"\.", r"[ \t]*\.[ \t]*") + r"[ \t]*="
    else:
        forms = [re.escape(key), re.escape(json.dumps(key)), re.escape(f"'{key}'")]
        pattern = r"^[ \t]*(?:" + "|".join(forms) + r")[ \t]*="
    m = re.compile(pattern, re.MULTILINE).search(text, start, end)
    return None if m is None else m.start() + len(m.group()) - len(m.group().lstrip())


def _item_lines(text: str, index: LineIndex, start: int, values: list[str]) -> list[int | None]:
    lines: list[int | None] = []
    pos = start
    for value in values:
        found = None
        for form in (json.dumps(value), f"'{value}'", f'"{value}"'):
            at = text.find(form, pos)
            if at >= 0 and (found is None or at < found):
                found = at
        if found is None:
            lines.append(None)
            continue
        lines.append(index.line(found))
        pos = found + 1
    return lines


def json_key_line(text: str, index: LineIndex, key: str, within: str | None = None) -> int | None:
    """Line of ``"key":`` (inside the object of top-level ``within`` when given)."""
    start = 0
    if within is not None:
        m = re.search(re.escape(json.dumps(within)) + r"\s*:\s*[\[{\"]", text)
        if m is None:
            return None
        start = m.end() - 1
    m = re.compile(re.escape(json.dumps(key)) + r"\s*:").search(text, start)
    return None if m is None else index.line(m.start())


@dataclass(frozen=True)
class IniValue:
    """One line of an INI value (continuation lines each give one) with its line."""

    text: str
    line: int


def ini_values(text: str, section: str, key: str) -> list[IniValue]:
    """The lines of ``key`` in ``[section]``: the value after ``=`` and each continuation."""
    values: list[IniValue] = []
    current_section = None
    collecting = False
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        header = re.fullmatch(r"\[([^\]]+)\]", stripped)
        if header:
            current_section = header.group(1).strip()
            collecting = False
            continue
        if current_section != section:
            continue
        if collecting and raw[:1] in (" ", "\t") and stripped:
            if not stripped.startswith(("#", ";")):
                values.append(IniValue(stripped, number))
            continue
        if collecting and not stripped:
            continue
        collecting = False
        assignment = re.match(r"^([^=:\s][^=:]*?)\s*[=:]\s*(.*)$", raw)
        if assignment and assignment.group(1).strip() == key:
            collecting = True
            first = assignment.group(2).strip()
            if first:
                values.append(IniValue(first, number))
    return values


def ini_keys(text: str, section: str) -> list[str]:
    """Keys assigned in ``[section]`` (continuation lines are not keys)."""
    keys: list[str] = []
    current = None
    for raw in text.splitlines():
        stripped = raw.strip()
        header = re.fullmatch(r"\[([^\]]+)\]", stripped)
        if header:
            current = header.group(1).strip()
            continue
        if current != section or raw[:1] in (" ", "\t") or stripped.startswith(("#", ";")):
            continue
        assignment = re.match(r"^([^=:\s][^=:]*?)\s*[=:]", raw)
        if assignment:
            keys.append(assignment.group(1).strip())
    return keys


def blank_xml_comments(text: str) -> str:
    """``<!-- ... -->`` replaced by spaces (newlines kept), so offsets and lines stay."""
    return re.sub(r"<!--[\s\S]*?(?:-->|$)", lambda m: re.sub(r"[^\n]", " ", m.group()), text)
