"""The section store: built sections and citation checks, so a regeneration redoes neither.

Both live behind the store interface (``analysis_store.Store``), under keys
that cannot meet an analysis's: a section under the digest of its declared
inputs (``input_digests.InputDigests.section_key``), a citation check under
the cited file's blob SHA and the exact citations checked.  Values are JSON.

A section is stored as built, before its citations are checked: the check is
redone (or read back) per cited file, against that file's current bytes, so
a reused section is grounded exactly as a fresh one would be.

A section written in pieces (the API Reference) is stored as the list of its
pieces, each piece stored apart under the digest of its encoding.  A
regeneration encodes only the pieces it wrote (each piece's encoding is
remembered by the piece's key), and what it stores anew is those pieces and
the list: the whole API Reference of a large repository is megabytes, and
tens of thousands of citations.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from docsgen.generator.digest import hexdigest, text_hexdigest
from docsgen.generator.engine.encoded import compact_json
from docsgen.generator.engine.memo import Memo
from docsgen.generator.markdown import Citation, Piece, join_parts
from docsgen.generator.sections.base import SectionResult, assemble

GROUNDING_VERSION = "2"  # bump when what ``grounding.verify`` answers changes


def _columns(cited: Sequence[Citation]) -> dict[str, list[Any]]:
    """Citations as JSON columns (a large section holds tens of thousands)."""
    return {"paths": [c.path for c in cited], "lines": [c.line for c in cited],
            "names": [c.name for c in cited]}  # fmt: skip


def _citations(plain: Mapping[str, Any]) -> tuple[Citation, ...]:
    cited = zip(plain["paths"], plain["lines"], plain["names"], strict=True)
    return tuple(map(Citation._make, cited))


def encode_section(applies: bool, section: SectionResult | None) -> bytes:
    """A line of JSON (whether it applies, title, warnings, citations), then the Markdown as is."""
    plain: dict[str, object] = {"applies": applies}
    if section is None:
        return json.dumps(plain).encode() + b"\n"
    plain.update(title=section.title, anchor=section.anchor, warnings=list(section.warnings),
                 **_columns(section.citations))  # fmt: skip
    return compact_json(plain) + b"\n" + section.markdown.encode()


_ENCODED_PIECE = "encoded piece"  # the memo's name for a piece's encoding


def encode_pieces(
    title: str, pieces: Sequence[Piece], memo: Memo
) -> tuple[bytes, dict[str, bytes]]:
    """A section written in pieces: its value (a line of JSON: the title and the store
    keys of its pieces, in order), and each piece's encoding by store key.

    Each piece's encoding is remembered in ``memo`` by the piece's key.
    """
    stored = [_piece(piece, memo) for piece in pieces]
    head = compact_json({"applies": True, "title": title, "pieces": [key for key, _ in stored]})
    return head + b"\n", dict(stored)


def pieces_named(raw: bytes) -> list[str]:
    """The store keys of the pieces a stored section is made of (none: stored whole)."""
    plain = json.loads(raw.partition(b"\n")[0])
    return list(plain.get("pieces", ())) if isinstance(plain, dict) else []


def _piece(piece: Piece, memo: Memo) -> tuple[str, bytes]:
    """A piece's store key (the digest of its encoding) and its encoding: a line of JSON
    (warnings, citations in columns), then its Markdown.

    Its parts are stored joined, as the section joins them (``join_parts``, without
    the final newline), which puts the section together the same.
    """
    known: tuple[str, bytes] | None = memo.recall(piece.key or "", _ENCODED_PIECE)
    if known is not None:
        return known
    if piece.parts is None:
        raise ValueError(f"piece {piece.key} was not written")
    head = compact_json({"warnings": list(piece.warnings), **_columns(piece.citations)})
    encoded = head + b"\n" + join_parts(piece.parts)[:-1].encode()
    found = (hexdigest(b"section piece\0" + encoded), encoded)
    memo.remember(piece.key or "", _ENCODED_PIECE, found, len(encoded))
    return found


def _decode_piece(raw: bytes) -> Piece:
    head, _, markdown = raw.partition(b"\n")
    plain = json.loads(head)
    return Piece(None, (markdown.decode(),), _citations(plain), tuple(plain["warnings"]))


def decode_section(
    raw: bytes, pieces: Mapping[str, bytes] | None = None
) -> tuple[bool, SectionResult | None]:
    """A stored section; one stored in pieces is put together from ``pieces`` (by store
    key: ``pieces_named``), and a piece missing there is a ``KeyError``."""
    head, _, markdown = raw.partition(b"\n")
    plain = json.loads(head)
    if "title" not in plain:
        return bool(plain["applies"]), None
    if "pieces" in plain:
        found = pieces or {}
        return True, assemble(plain["title"], [_decode_piece(found[k]) for k in plain["pieces"]])
    section = SectionResult(plain["title"], plain["anchor"], markdown.decode(),
                            tuple(plain["warnings"]), _citations(plain))  # fmt: skip
    return bool(plain["applies"]), section


def check_key(path: str, identity: str, citations: Sequence[Citation]) -> str:
    """The key of the check of ``citations`` (all of ``path``) against one content of it."""
    cited = repr([c[1:] for c in citations])  # (line, name) of each: repr is stable and quick
    text = f"grounding\0{GROUNDING_VERSION}\0{path}\0{identity}\0{cited}"
    return text_hexdigest(text)


def encode_failures(failures: Sequence[tuple[Citation, str]]) -> bytes:
    return compact_json([[c.line, c.name, reason] for c, reason in failures])


def decode_failures(path: str, raw: bytes) -> list[tuple[Citation, str]]:
    return [(Citation(path, line, name), reason) for line, name, reason in json.loads(raw)]
