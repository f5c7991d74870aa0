"""Which generator wrote a set of docs, and which stored analyses it can read.

A run on the commit the stored docs describe completes from them only when
``GENERATOR_VERSION`` also equals theirs: a new release, or a change in what
the analysers extract, regenerates.  ``CACHE_VERSION`` names the analysers',
the API entries' and the stored value layout's versions: a stored analysis of
another version is not read.
"""

from __future__ import annotations

from docsgen import __version__
from docsgen.generator.analysis.file_analysis import ANALYSIS_VERSION
from docsgen.generator.api_entries import REFERENCE_VERSION

VALUE_LAYOUT = "f7"  # bump when what a stored value holds changes (engine.analysis_store)
CACHE_VERSION = f"{ANALYSIS_VERSION}.{REFERENCE_VERSION}.{VALUE_LAYOUT}"
GENERATOR_VERSION = f"{__version__}+analysis.{CACHE_VERSION}"
