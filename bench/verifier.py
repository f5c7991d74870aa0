"""How well the verifier keeps true sentences and drops false ones (precision and recall).

    python -m bench.verifier

Scores the labelled sentences of ``tests/support/verifier_corpus.py`` about
itsdangerous 2.2.0 (fetched from PyPI once, hash-checked): precision is the
share of kept sentences that are true (target 100 %), recall the share of true
sentences kept (target at least 90 %).
"""

from __future__ import annotations

from docsgen.narrative.verifier import Verifier
from tests.support.verifier_corpus import project_facts, score


def main() -> None:
    print(score(Verifier(project_facts())).report())


if __name__ == "__main__":
    main()
