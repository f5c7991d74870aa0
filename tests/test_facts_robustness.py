"""Odd code never crashes the facts extractors: at worst a warning."""

from __future__ import annotations

import random

import pytest

from docsgen.generator.analysis import facts
from docsgen.generator.analysis.file_analysis import EnvRead, FileAnalysis
from tests.support.snapshots import model_of

LANGUAGES = {
    "a.py": "Python",
    "a.ts": "TypeScript",
    "a.js": "JavaScript",
    "a.go": "Go",
    "a.rs": "Rust",
    "a.java": "Java",
    "pyproject.toml": "TOML",
    "package.json": "JSON",
    "setup.cfg": "INI",
    "Cargo.toml": "TOML",
}
_ALPHABET = [
    *"()[]{}<>\"'`/\\*#;:,.=|&$!?-+%^~\n\t r",
    "import ", "from ", "use ", "mod ", "require(", "process.env.", "os.getenv(", "${", "*/",
    "/*", "//", '"""', "r#\"", "@app.get(", "func main()", "fn main()", "[project.scripts]",
]  # fmt: skip


def failed_extractors(found: FileAnalysis) -> list[str]:
    """The warnings extraction writes when an extractor raised (a bug of ours), not odd code."""
    return [w for w in found.warnings if "extractor failed" in w]


@pytest.mark.parametrize("path", sorted(LANGUAGES))
def test_random_syntax_soup_never_makes_an_extractor_fail(path: str) -> None:
    rng = random.Random(path)
    for _ in range(150):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 120)))
        found = facts.extract(path, text, LANGUAGES[path])
        assert not failed_extractors(found), (text, found.warnings)


@pytest.mark.parametrize("path", sorted(LANGUAGES))
def test_ten_thousand_deep_nesting_is_survived(path: str) -> None:
    for text in ("(" * 10_000 + ")" * 10_000, "{" * 10_000, "[" * 10_000 + "1"):
        found = facts.extract(path, "x = " + text + "\n", LANGUAGES[path])
        assert not failed_extractors(found), (text[:20], found.warnings)


UNTERMINATED = {
    "a.ts": (["/*", '"', "'", "`"], "process.env.B"),
    "a.go": (["/*", '"', "`"], "os.Getenv(b)"),
    "a.rs": (["/*", '"', 'r#"'], "env::var(b)"),
    "a.java": (["/*", '"', '"""'], "System.getenv(b)"),
}


@pytest.mark.parametrize("path", sorted(UNTERMINATED))
def test_unterminated_comments_and_strings_run_to_the_end(path: str) -> None:
    openers, payload = UNTERMINATED[path]
    assert facts.extract(path, payload + "\n", LANGUAGES[path]).env_reads != ()
    for opener in openers:
        found = facts.extract(path, f"{opener} {payload}\n", LANGUAGES[path])
        assert found.env_reads == (), opener


def test_a_minified_megabyte_of_javascript_is_read() -> None:
    chunk = 'function f(a){return a/2+"x"/*c*/+`t${a}`}var r=/re"g/g;'
    body = chunk * (1_000_000 // len(chunk))
    text = 'const e=require("./dep");' + body + "var p=process.env.API_KEY||'k';"
    found = facts.extract("dist-free/app.min.js", text, "JavaScript")
    assert [i.module for i in found.imports] == ["./dep"]
    assert found.env_reads == (EnvRead("API_KEY", 1, "'k'", "process.env"),)


def test_non_utf8_files_are_analysed_from_their_latin1_text() -> None:
    model = model_of({"legacy.py": b'# caf\xe9\nimport os\nX = os.getenv("LEGACY_X", "d\xe9f")\n'})
    reads = model.analyses["legacy.py"].env_reads
    assert reads == (EnvRead("LEGACY_X", 3, '"déf"', "os.getenv"),)


@pytest.mark.parametrize("ending", ["`abc\\", "`x${y}\\", "`\\"])
def test_a_template_literal_cut_short_by_a_backslash_keeps_the_facts_before_it(
    ending: str,
) -> None:
    found = facts.extract("a.js", f"const b = process.env.B\nconst t = {ending}", "JavaScript")
    assert [read.name for read in found.env_reads] == ["B"]
    assert found.warnings == ()
