"""HTTP Interface: the routes the code declares, with method, path, handler and place.

Shown only when the code declares routes.  Paths are those written at the
route, with a prefix declared in the same file (a class-level
``@RequestMapping``, a router's ``prefix=``) put in front; a prefix added where
a router is mounted from another file is not known here and is said so.
"""

from __future__ import annotations

from collections import Counter

from docsgen.generator.analysis.file_analysis import Route
from docsgen.generator.inputs import PATHS, TEXTS, analyses
from docsgen.generator.markdown import SectionWriter, anchor, escape
from docsgen.generator.markdown.cells import cell_code
from docsgen.generator.model import RepositoryModel
from docsgen.generator.product import product_analyses
from docsgen.generator.sections.base import Section, SectionResult

TITLE = "HTTP Interface"
_METHOD_NOTES = {
    "ANY": "any method",
    "*": "the handler's methods (class-based view)",
}


def applies(model: RepositoryModel) -> bool:
    return any(a.routes for a in product_analyses(model).values())


def full_path(route: Route) -> str:
    if not route.prefix:
        return route.path
    if not route.path:
        return route.prefix
    return route.prefix.rstrip("/") + "/" + route.path.lstrip("/")


def build(model: RepositoryModel) -> SectionResult:
    w = SectionWriter(model.snapshot)
    routes = [
        (path, route)
        for path, analysis in product_analyses(model).items()
        for route in analysis.routes
    ]
    routes.sort(key=lambda x: (full_path(x[1]), x[1].method, x[0], x[1].line))
    frameworks = Counter(r.framework or "unknown framework" for _, r in routes)
    w.add(
        f"{len(routes)} routes declared in the code ("
        + ", ".join(f"{escape(name)}: {n}" for name, n in sorted(frameworks.items()))
        + ")."
    )
    rows = ["| Method | Path | Handler | Framework | Declared at |", "|---|---|---|---|---|"]
    for path, route in routes:
        rows.append(
            f"| {escape(route.method)} | {cell_code(full_path(route) or '(empty)')} | "
            f"{cell_code(route.handler)} | "
            f"{escape(route.framework) or '—'} | {w.cite(path, route.line, route.path or None)} |"
        )
    w.add("\n".join(rows))
    notes = [
        f"`{m}` means {text}"
        for m, text in _METHOD_NOTES.items()
        if m in {r.method for _, r in routes}
    ]
    if notes:
        w.add("; ".join(notes) + ".")
    if any(r.framework == "Django" for _, r in routes):
        w.add(
            "Django paths are relative to where their URLconf is included; "
            "`include(...)` handlers mount another URLconf."
        )
    w.add(
        "Paths are shown as declared at the route (with a prefix declared in the same file); a "
        "prefix added where a router is mounted from another file (`include_router`, "
        "`app.use`, `add_subapp`, `register_blueprint`) is not applied."
    )
    return SectionResult(TITLE, anchor(TITLE), w.markdown(), tuple(w.warnings), tuple(w.citations))


SECTION = Section(
    "http_interface", TITLE, build, applies, frozenset({PATHS, TEXTS, analyses("routes")})
)
