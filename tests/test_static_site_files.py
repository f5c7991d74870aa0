"""The static site's files: the diagram library goes where a diagram is, and nowhere else."""

from __future__ import annotations

from docsgen.generator.pages import Page
from docsgen.publish.site import DIAGRAM_LIBRARY, Site, site_files
from docsgen.render import page_html

DIAGRAM = "# Architecture\n\n```mermaid\nflowchart TD\n    a --> b\n```\n"
PAGES = (
    Page("overview", "Overview", None, "# Overview\n\nWords.\n", 0, ()),
    Page("architecture", "Architecture", None, DIAGRAM, 0, ()),
)
TAG = f'<script src="{DIAGRAM_LIBRARY}" defer></script>'


def test_only_the_pages_with_a_diagram_load_the_library() -> None:
    files = site_files(Site("widget", "abc", PAGES), page_html, b"/* library */")
    assert files[DIAGRAM_LIBRARY] == b"/* library */"
    assert TAG in str(files["architecture.html"])
    assert TAG not in str(files["overview.html"]) and TAG not in str(files["index.html"])
    # Deferred scripts run in order: the library is there before the site's script.
    page = str(files["architecture.html"])
    assert page.index(TAG) < page.index('<script src="assets/docsgen.js" defer>')


def test_without_the_library_diagrams_stay_their_source() -> None:
    files = site_files(Site("widget", "abc", PAGES), page_html)
    assert DIAGRAM_LIBRARY not in files
    assert "mermaid.min.js" not in str(files["architecture.html"])
    assert "flowchart TD" in str(files["architecture.html"])
    # A site without a diagram carries no library, even when the caller has it.
    files = site_files(Site("widget", "abc", PAGES[:1]), page_html, b"/* library */")
    assert DIAGRAM_LIBRARY not in files
