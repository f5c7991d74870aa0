"""Configuration: environment variables and configuration keys the code reads, with defaults.

Only reads whose name is written literally can be listed; reads with a
computed name are flagged ⚠️ with their place, since their name is unknown
until run time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from docsgen.generator.analysis.file_analysis import EnvRead
from docsgen.generator.inputs import analyses
from docsgen.generator.markdown import SectionWriter, anchor, code, escape
from docsgen.generator.markdown.cells import cell_code
from docsgen.generator.model import RepositoryModel
from docsgen.generator.sections.base import Section, SectionResult

TITLE = "Configuration"
MAX_CITES = 4  # places cited per variable; the rest are counted
MAX_DYNAMIC = 10
# How a value is read -> environment variable (True) or another configuration key (False).
_ENVIRONMENT = frozenset(
    {"os.environ[...]", "in os.environ", "os.environ.get", "os.environ.setdefault", "os.getenv",
     "process.env", "import.meta.env", "Deno.env.get", "os.Getenv", "os.LookupEnv",
     "std::env::var", "env::var", "std::env::var_os", "env::var_os", "env!", "option_env!",
     "System.getenv"}
)  # fmt: skip
_KEY_KINDS = {
    "System.getProperty": "Java system property",
    "@Value": "Spring property",
}


def applies(model: RepositoryModel) -> bool:
    return any(a.env_reads for a in model.analyses.values())


def _reads(model: RepositoryModel) -> list[tuple[str, EnvRead]]:
    return [
        (path, read)
        for path, analysis in sorted(model.analyses.items())
        for read in analysis.env_reads
    ]


def _key_kind(how: str) -> str:
    if how in _KEY_KINDS:
        return _KEY_KINDS[how]
    if how.startswith("flag."):
        return "command-line flag"
    if how.startswith("viper."):
        return "Viper key"
    return how


def build(model: RepositoryModel) -> SectionResult:
    w = SectionWriter(model.snapshot)
    reads = _reads(model)
    env = [(p, r) for p, r in reads if r.how in _ENVIRONMENT and not r.dynamic]
    keys = [(p, r) for p, r in reads if r.how not in _ENVIRONMENT and not r.dynamic]
    dynamic = [(p, r) for p, r in reads if r.dynamic]
    w.add("### Environment variables")
    if env:
        w.add(
            "Read by the code, with the default it falls back to when one is written next to the "
            "read (a computed default shows the expression):\n\n"
            + _table(w, env, "Variable", lambda r: cell_code(r.how))
        )
    else:
        w.add("No environment variable read with a literal name was found in the code.")
    if keys:
        w.add("### Configuration keys")
        w.add(
            "Settings read by name from other configuration sources:\n\n"
            + _table(w, keys, "Key", lambda r: escape(_key_kind(r.how)))
        )
    if dynamic:
        listed = sorted(dynamic, key=lambda x: (x[0], x[1].line))
        shown = ", ".join(
            f"{code(r.name)} with {code(r.how)} ({w.cite(p, r.line, _token(r))})"
            for p, r in listed[:MAX_DYNAMIC]
        )
        more = f" and {len(listed) - MAX_DYNAMIC} more" if len(listed) > MAX_DYNAMIC else ""
        w.add_warning(
            f"{len(listed)} read(s) use a name computed at run time, so the variable cannot be "
            f"named here: {shown}{more}."
        )
    return SectionResult(TITLE, anchor(TITLE), w.markdown(), tuple(w.warnings), tuple(w.citations))


def _token(read: EnvRead) -> str | None:
    """The expression as written is on the line unless it was shortened."""
    return None if "…" in read.name else read.name


def _table(
    w: SectionWriter, reads: list[tuple[str, EnvRead]], title: str, kind: Callable[[EnvRead], str]
) -> str:
    by_name: dict[str, list[tuple[str, EnvRead]]] = defaultdict(list)
    for path, read in reads:
        by_name[read.name].append((path, read))
    rows = [f"| {title} | Default | Read with | Where |", "|---|---|---|---|"]
    for name in sorted(by_name):
        places = sorted(by_name[name], key=lambda x: (x[0], x[1].line))
        defaults = sorted(
            {(r.default, r.default_literal) for _, r in places if r.default is not None}
        )
        shown_defaults = (
            ", ".join(
                cell_code(d) if literal else f"computed: {cell_code(d)}" for d, literal in defaults
            )
            or "—"
        )
        hows = ", ".join(sorted({kind(r) for _, r in places}))
        cites = ", ".join(w.cite(p, r.line, r.name) for p, r in places[:MAX_CITES])
        if len(places) > MAX_CITES:
            cites += f" and {len(places) - MAX_CITES} more"
        rows.append(f"| {cell_code(name)} | {shown_defaults} | {hows} | {cites} |")
    return "\n".join(rows)


SECTION = Section("configuration", TITLE, build, applies, frozenset({analyses("env")}))
