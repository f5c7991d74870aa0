"""Built sections and citation checks kept in the analysis cache, so a regeneration redoes neither.

Both live behind the pipeline's cache interface (``AnalysisCache``), under keys
that cannot meet an analysis's: a section under the digest of its declared
inputs (``docsgen.generator.inputs.section_key``), a citation check under the
cited file's blob SHA and the exact citations checked.  Values are JSON.

A section is stored as built, before its citations are checked: the check is
redone (or read back) per cited file, against that file's current bytes, so
a reused section is grounded exactly as a fresh one would be.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from docsgen.generator.digest import text_hexdigest
from docsgen.generator.markdown import Citation
from docsgen.generator.sections.base import SectionResult

GROUNDING_VERSION = "1"  # bump when what ``grounding.verify`` answers changes


def encode_section(applies: bool, section: SectionResult | None) -> bytes:
    """A line of JSON (whether it applies, title, warnings, citations), then the Markdown as is."""
    plain: dict[str, object] = {"applies": applies}
    if section is None:
        return json.dumps(plain).encode() + b"\n"
    plain.update(
        title=section.title,
        anchor=section.anchor,
        warnings=list(section.warnings),
        paths=[c.path for c in section.citations],
        lines=[c.line for c in section.citations],
        names=[c.name for c in section.citations],
    )
    head = json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()
    return head + b"\n" + section.markdown.encode()


def decode_section(raw: bytes) -> tuple[bool, SectionResult | None]:
    head, _, markdown = raw.partition(b"\n")
    plain = json.loads(head)
    if "title" not in plain:
        return bool(plain["applies"]), None
    cited = zip(plain["paths"], plain["lines"], plain["names"], strict=True)
    section = SectionResult(
        plain["title"],
        plain["anchor"],
        markdown.decode(),
        tuple(plain["warnings"]),
        tuple(map(Citation._make, cited)),
    )
    return bool(plain["applies"]), section


def check_key(path: str, identity: str, citations: Sequence[Citation]) -> str:
    """The key of the check of ``citations`` (all of ``path``) against one content of it."""
    cited = repr([c[1:] for c in citations])  # (line, name) of each: repr is stable and quick
    text = f"grounding\0{GROUNDING_VERSION}\0{path}\0{identity}\0{cited}"
    return text_hexdigest(text)


def encode_failures(failures: Sequence[tuple[Citation, str]]) -> bytes:
    plain = [[c.line, c.name, reason] for c, reason in failures]
    return json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()


def decode_failures(path: str, raw: bytes) -> list[tuple[Citation, str]]:
    return [(Citation(path, line, name), reason) for line, name, reason in json.loads(raw)]
