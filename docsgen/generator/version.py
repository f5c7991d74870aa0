"""Which generator wrote a set of docs: stored with them, compared by later runs.

A run on the commit the stored docs describe completes from them only when this
version also equals theirs: a new release, or a change in what the analysers
extract, regenerates.
"""

from __future__ import annotations

from docsgen import __version__
from docsgen.generator.engine.analysis_store import CACHE_VERSION

GENERATOR_VERSION = f"{__version__}+analysis.{CACHE_VERSION}"
