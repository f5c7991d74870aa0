"""The digests of a run's inputs: what names a built section in the section store.

A section's key digests its declared inputs (``docsgen.generator.inputs``)
and the generator's version, so a section is rebuilt exactly when something
it reads changed.  The analyses are digested facet by facet, from each
value's facet lines, without decoding one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from docsgen.generator.digest import text_hexdigest
from docsgen.generator.engine.analysis_store import facet_digests
from docsgen.generator.engine.memo import Memo
from docsgen.generator.inputs import COMMIT, FILES, PATHS, REFERENCES, TEXTS, paths_only
from docsgen.generator.model import Scan
from docsgen.snapshot import Snapshot

log = logging.getLogger(__name__)

_DIGESTS = "facet digests"  # the memo's name for a value's facet digests
_DIGESTS_SIZE = 512  # roughly what one remembered set of digests holds, in bytes


def facets_of(
    keys: Mapping[str, str], encoded: Mapping[str, bytes], memo: Memo
) -> dict[str, Mapping[str, str]]:
    """Each file's facet digests; a value that cannot be read has none (its sections rebuild).

    Digests are remembered in ``memo`` by content key: a regeneration reads only the
    changed files'.
    """
    out: dict[str, Mapping[str, str]] = {}
    for path, value in encoded.items():
        known: Mapping[str, str] | None = memo.recall(keys[path], _DIGESTS)
        if known is not None:
            out[path] = known
            continue
        try:
            out[path] = facet_digests(value)
        except ValueError:  # a damaged stored value (json.JSONDecodeError is a ValueError)
            log.warning("no facet digests in the stored value of %s", path)
            out[path] = {}
            continue
        memo.remember(keys[path], _DIGESTS, out[path], _DIGESTS_SIZE)
    return out


class InputDigests:
    """The digests of one run's inputs, each computed once and shared by the sections.

    ``keys`` are the analysed files' content keys (they name their rendered API
    entries), ``facets`` each file's facet digests: those may still be filled
    in until a digest of the analyses is asked for.
    """

    def __init__(
        self,
        snapshot: Snapshot,
        scanned: Scan,
        keys: Mapping[str, str],
        facets: Mapping[str, Mapping[str, str]],
    ) -> None:
        self._snapshot = snapshot
        self._scanned = scanned
        self._keys = keys
        self._facets = facets
        self._found: dict[str, str | None] = {}

    def without_analyses(self) -> None:
        """Work out now every digest that needs no analysis (the engine does so while
        the workers analyse)."""
        for name in ("meta", COMMIT, FILES, PATHS, TEXTS, REFERENCES):
            self.of(name)

    def of(self, name: str) -> str | None:
        """The digest of one input (None: it cannot be named, e.g. a file without blob SHA)."""
        if name not in self._found:
            self._found[name] = self._compute(name)
        return self._found[name]

    def _compute(self, name: str) -> str | None:
        snapshot, scanned = self._snapshot, self._scanned
        if name == "meta":  # read by every section: name, links, metadata, notes
            return text_hexdigest(repr((snapshot.name, snapshot.provider,
                                        snapshot.source_url_template, snapshot.notes,
                                        snapshot.metadata)))  # fmt: skip
        if name == COMMIT:
            return text_hexdigest(snapshot.commit_sha)
        if name == FILES:  # each file's facts, as plain tuples (their repr is C's)
            return text_hexdigest(repr(list(map(tuple, scanned.files))))
        if name == PATHS:  # the files as ``PATHS`` shows them
            return text_hexdigest(repr(list(map(tuple, paths_only(scanned.files)))))
        if name == TEXTS:
            return text_hexdigest(
                repr([(p, text_hexdigest(scanned.texts[p])) for p in sorted(scanned.texts)])
            )
        if name == REFERENCES:
            if not all(self._keys.values()):
                return None
            return text_hexdigest(repr(sorted(self._keys.items())))
        if name.startswith("analyses:"):
            facet = name.split(":", 1)[1]
            found = [(p, self._facets[p].get(facet)) for p in sorted(self._facets)]
            if any(d is None for _, d in found):
                return None
            return text_hexdigest(repr(found))
        raise KeyError(name)

    def section_key(self, version: str, section: str, inputs: frozenset[str]) -> str | None:
        """The key of a section built from these inputs by this generator version."""
        parts = [self.of(name) for name in ["meta", *sorted(inputs)]]
        if any(p is None for p in parts):
            return None
        return text_hexdigest(repr(("section", version, section, sorted(inputs), parts)))
