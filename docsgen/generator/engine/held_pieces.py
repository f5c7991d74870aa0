"""The pieces of sections written in pieces, kept by the process that assembles them.

The API Reference of a large repository is megabytes of Markdown, one piece
per module, and a regeneration after a small change alters a few modules.
This process remembers the pieces of each repository's last build (in the
memo of ``docsgen.generator.engine.memo``, by piece key); the next build is told
which it holds, the worker writes only the others, and the section is put
together here.  A piece key names everything its piece is written from, so a
held piece is the piece the worker would write.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence

from docsgen.generator.engine import memo
from docsgen.generator.markdown import Piece
from docsgen.generator.sections.base import SectionResult, assemble

_PIECE = "piece"  # the memo's name for a piece
LINEAGES_KEPT = 64  # repositories (and sections) whose last build's piece keys are kept
_last: OrderedDict[str, tuple[str, ...]] = OrderedDict()  # lineage -> its last piece keys


def held(lineage: str) -> dict[str, Piece]:
    """The pieces of ``lineage``'s last build that are still remembered, by key."""
    found: dict[str, Piece] = {}
    for key in _last.get(lineage, ()):
        piece: Piece | None = memo.recall(key, _PIECE)
        if piece is not None:
            found[key] = piece
    return found


def filled_in(pieces: Sequence[Piece], held: Mapping[str, Piece]) -> list[Piece]:
    """A worker's pieces, those it held back read from ``held``."""
    return [held[piece.key] if piece.parts is None and piece.key else piece for piece in pieces]


def put_together(lineage: str, title: str, whole: Sequence[Piece]) -> SectionResult:
    """The section from its pieces (``filled_in``).

    The pieces are remembered for the lineage's next build.
    """
    for piece in whole:
        if piece.parts is not None and piece.key:
            size = sum(map(len, piece.parts)) + 64 * len(piece.citations)
            memo.remember(piece.key, _PIECE, piece, size)
    _last[lineage] = tuple(piece.key for piece in whole if piece.key)
    _last.move_to_end(lineage)
    while len(_last) > LINEAGES_KEPT:
        _last.popitem(last=False)
    return assemble(title, whole)
