"""A file's analysis and API entries survive the cache's encoding unchanged."""

from __future__ import annotations

import json
from dataclasses import asdict

from docsgen.generator.analysis.file_analysis import (
    EnvRead,
    FileAnalysis,
    Import,
    Parameter,
    Route,
    Symbol,
)
from docsgen.generator.api_entries import render
from docsgen.generator.engine.analysis_store import (
    decode_facet,
    decode_reference,
    decode_summary,
    encode,
    facet_digests,
)
from docsgen.generator.engine.encoded import SEPARATOR
from docsgen.generator.inputs import FACETS, project

ANALYSIS = FileAnalysis(
    path="pkg/mod.py",
    language="Python",
    module="pkg.mod",
    doc="Module.\n\nWith a \"quote\" and a newline.",
    doc_line=1,
    symbols=(
        Symbol("class", "C", "C", 3, "(Base)", doc="A class.", decorators=("dataclass",)),
        Symbol(
            "method", "m", "C.m", 5, "(self, a: int = 1, *rest, k, **kw) -> str",
            parameters=(
                Parameter("self"),
                Parameter("a", annotation="int", default="1"),
                Parameter("rest", "var-positional"),
                Parameter("k", "keyword-only"),
                Parameter("kw", "var-keyword"),
            ),
            returns="str", parent="C",
        ),
        Symbol("reexport", "X", "X", 1, target=".other.X"),
    ),
    exports=("C", "X"),
    imports=(Import("os", 1, ("path",)), Import("other", 2, ("X",), level=1)),
    env_reads=(EnvRead("HOME", 9, "/root", "os.getenv"),),
    routes=(Route("GET", "/", "index", 12, "aiohttp"),),
    entry_points=(("tool", "pkg.mod:main", 4),),
    warnings=("Star import from `x` (line 2): the names it brings in are not listed.",),
    parse_error=None,
    skipped=None,
)  # fmt: skip


def test_to_json_is_the_json_of_the_dataclasses_and_reads_back() -> None:
    as_json = json.loads(json.dumps(ANALYSIS.to_json()))
    assert as_json == json.loads(json.dumps(asdict(ANALYSIS)))
    assert FileAnalysis.from_json(as_json) == ANALYSIS


def test_a_cached_value_decodes_to_the_same_entries_and_facets_of_the_analysis() -> None:
    reference = render(ANALYSIS)
    value = encode(ANALYSIS, reference)
    analysis_part, reference_part, summary_part, *facets = value.split(SEPARATOR)
    assert analysis_part == b""  # the whole analysis is not kept: no section reads it
    assert decode_reference(reference_part) == reference
    summary = decode_summary(summary_part)
    assert summary == reference.summary()
    assert (summary.path, summary.module, summary.has_content) == ("pkg/mod.py", "pkg.mod", True)
    assert summary.kinds == reference.kinds and len(summary_part) < len(reference_part) / 4
    # Each facet reads back as the analysis with only that facet's fields.
    assert [decode_facet(f) for f in facets] == [project(ANALYSIS, name) for name in FACETS]
    assert set(facet_digests(value)) == set(FACETS)
    assert reference.citations[1] == ("pkg/mod.py", 5, "m")
