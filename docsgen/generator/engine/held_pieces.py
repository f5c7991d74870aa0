"""The pieces of sections written in pieces, held by the process that puts them together.

The API Reference of a large repository is megabytes of Markdown, one piece
per module, and a regeneration after a small change alters a few modules.
The process that runs the pipeline holds the pieces of each repository's last
build (``HeldPieces``, in its memo, by piece key); the next build is told
which it holds, the worker writes only the others (``write_pieces``), and the
section is put together here.  A piece key digests everything its piece is
written from, so a held piece is the piece the worker would write.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from docsgen.generator.digest import text_hexdigest
from docsgen.generator.engine.memo import Memo
from docsgen.generator.markdown import Piece
from docsgen.generator.sections.base import PlannedPiece, SectionResult, assemble

_PIECE = "piece"  # the memo's name for a piece
LINEAGES_KEPT = 64  # repositories (and sections) whose last build's piece keys are kept


def write_pieces(planned: Sequence[PlannedPiece], known: Collection[str]) -> list[Piece]:
    """The planned pieces written, each under its key, but for the ``known`` ones:
    those come back as ``Piece(key, None)``, for the caller that holds them to fill in."""
    known = frozenset(known)  # a list of hundreds, looked up once per piece
    pieces = []
    for written_from, write in planned:
        key = text_hexdigest(written_from) if written_from is not None else None
        if key is not None and key in known:
            pieces.append(Piece(key, None))
        else:
            pieces.append(replace(write(), key=key))
    return pieces


def filled_in(pieces: Sequence[Piece], held: Mapping[str, Piece]) -> list[Piece]:
    """A worker's pieces, those it held back read from ``held``."""
    return [held[piece.key] if piece.parts is None and piece.key else piece for piece in pieces]


class HeldPieces:
    """Each lineage's (a section of a repository) last pieces, remembered in ``memo``."""

    def __init__(self, memo: Memo) -> None:
        self._memo = memo
        self._last: OrderedDict[str, tuple[str, ...]] = OrderedDict()  # lineage -> piece keys

    def held(self, lineage: str) -> dict[str, Piece]:
        """The pieces of ``lineage``'s last build that are still remembered, by key."""
        found: dict[str, Piece] = {}
        for key in self._last.get(lineage, ()):
            piece: Piece | None = self._memo.recall(key, _PIECE)
            if piece is not None:
                found[key] = piece
        return found

    def put_together(self, lineage: str, title: str, whole: Sequence[Piece]) -> SectionResult:
        """The section from its pieces (``filled_in``).

        The pieces are remembered for the lineage's next build.
        """
        for piece in whole:
            if piece.parts is not None and piece.key:
                size = sum(map(len, piece.parts)) + 64 * len(piece.citations)
                self._memo.remember(piece.key, _PIECE, piece, size)
        last = self._last
        last[lineage] = tuple(piece.key for piece in whole if piece.key)
        last.move_to_end(lineage)
        while len(last) > LINEAGES_KEPT:
            last.popitem(last=False)
        return assemble(title, whole)
