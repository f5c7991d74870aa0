"""``docsgen generate --format html|markdown --out DIR``: the folders written, and refusals.

The site of a real project is read as a browser would: every relative link and
script names a file of the folder, and every fragment an id of its page; every
symbol of every page is in the search index and has its anchor; llms.txt has
the llmstxt.org structure and each of its links names a file of the site.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from docsgen.generator.engine.run import Engine
from docsgen.generator.pipeline import GeneratedDocs
from docsgen.publish.folder import MANIFEST
from docsgen.render import page_html
from tests.support import projects
from tests.support.generation import document, fetch, pool
from tests.support.gitrepo import git
from tests.support.processes import docsgen
from tests.support.static_site import Folder, parse_llms_txt

__all__ = ["pool"]

ENV = {"DOCSGEN_ANALYSIS_WORKERS": "1"}
PROJECTS = ["flask", "serde_json", "express"]
_MD_LINK = re.compile(r"\]\(([^()\s:]+\.md(?:#[^()\s]*)?)\)")


def generated(repo: Path, pool: ProcessPoolExecutor) -> GeneratedDocs:
    return asyncio.run(document(asyncio.run(fetch(repo)), Engine(pool)))


@pytest.mark.parametrize("project", PROJECTS)
def test_the_static_site_of_a_real_project_holds_every_page_and_every_link_resolves(
    project: str, pool: ProcessPoolExecutor, tmp_path: Path
) -> None:
    repo = projects.checkout(project)
    out = tmp_path / "site"
    result = docsgen("generate", str(repo), "--format", "html", "--out", str(out), env=ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    docs = generated(repo, pool)
    site = Folder(out)

    slugs = [p.slug for p in docs.pages]
    assert (out / "index.html").is_file() and (out / "llms.txt").is_file()
    for page in docs.pages:
        html = (out / f"{page.slug}.html").read_text(encoding="utf-8")
        assert f'<body data-page="{page.slug}">' in html
        # the service's sanitized rendering, links aside (they point at files here)
        body = re.sub(r' ?href="[^"]*"', "", page_html(page))
        shown = re.search(r'<article class="docs">\n(.*)\n</article>', html, re.DOTALL)
        assert shown is not None and re.sub(r' ?href="[^"]*"', "", shown.group(1)) == body
        for symbol in page.symbols:
            assert symbol.qualname in site.html(out / f"{page.slug}.html").ids, symbol
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('<section class="contents"') == 1
    assert all(f'href="{slug}.html"' in index for slug in slugs), "the contents list them all"

    assert site.broken_html_links() == []
    for page in sorted(out.glob("*.html")):  # no file from elsewhere: no CDN, no host
        for tag, _, ref in site.html(page).refs:
            if tag in {"script", "link", "img"}:
                assert "//" not in ref and site.resolve(page, ref) is None, (page, ref)

    toc = site.script_global("assets/toc.js", "DOCSGEN_TOC")
    assert [row[0] for row in toc["pages"]] == slugs
    index_data = site.script_global("assets/search-index.js", "DOCSGEN_SEARCH")
    assert [p[0] for p in index_data["pages"]] == slugs
    indexed = {(s[0], slugs[s[1]]) for s in index_data["symbols"]}
    documented = {(s.qualname, p.slug) for p in docs.pages for s in p.symbols}
    assert indexed == documented and documented

    llms = parse_llms_txt((out / "llms.txt").read_text(encoding="utf-8"))
    assert llms.title == repo.name
    assert sorted(llms.urls) == sorted(f"{slug}.md" for slug in slugs)
    for url in [*llms.urls, "llms-full.txt"]:
        assert site.resolve(out / "llms.txt", url) is None, url
    symbols = {p.slug: {s.qualname for s in p.symbols} for p in docs.pages}
    for page in docs.pages:
        markdown = (out / f"{page.slug}.md").read_text(encoding="utf-8")
        for link in _MD_LINK.findall(markdown):
            name, _, fragment = link.partition("#")
            assert (out / name).is_file(), (page.slug, link)
            if fragment:
                target = name.removesuffix(".md")
                assert fragment in site.markdown_anchors(out / name, symbols[target]), link


def test_markdown_into_a_folder_writes_a_page_per_file_and_an_index(
    sample_repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "docs"
    result = docsgen("generate", str(sample_repo), "--out", f"{out}/", env=ENV)
    assert result.returncode == 0, result.stderr
    index = (out / "index.md").read_text(encoding="utf-8")
    assert index.startswith("# sample\n\n> ")
    listed = re.findall(r"^\s*- \[[^\]]+\]\(([^)]+)\)$", index, re.MULTILINE)
    assert listed[0] == "overview.md" and "api-reference.md" in listed
    on_disk = sorted(p.name for p in out.iterdir())
    assert on_disk == sorted([MANIFEST, "index.md", *listed])
    assert not any(out.glob("*.html")), "Markdown only"

    stale = out / "stale-page.md"  # as if a module disappeared since the last run
    stale.write_text("# old\n")
    (out / MANIFEST).write_text((out / MANIFEST).read_text() + "stale-page.md\n")
    (out / "notes.txt").write_text("mine\n")
    again = docsgen("generate", str(sample_repo), "--out", str(out), env=ENV)
    assert again.returncode == 0, again.stderr
    assert not stale.exists(), "a page docsgen wrote and no longer writes is removed"
    assert (out / "notes.txt").read_text() == "mine\n", "a file docsgen did not write stays"


def test_markdown_to_stdout_or_a_file_stays_one_document(sample_repo: Path, tmp_path: Path) -> None:
    whole = docsgen("generate", str(sample_repo), env=ENV)
    assert whole.returncode == 0 and whole.stdout.startswith("# sample\n")
    out = tmp_path / "docs.md"
    one = docsgen("generate", str(sample_repo), "--out", str(out), env=ENV)
    assert one.returncode == 0, one.stderr
    assert out.read_text(encoding="utf-8") == whole.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs.md", "repos"]


def test_bad_combinations_exit_2_and_touch_nothing(sample_repo: Path, tmp_path: Path) -> None:
    previous = tmp_path / "docs.md"
    previous.write_text("previous docs\n")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "index.md").write_text("# My own notes\n")
    (mine / "index.html").write_text("<p>my page</p>\n")
    cases = {
        ("--format", "html"): "--format html writes a site into a folder: add --out DIR",
        ("--format", "html", "--out", str(previous)): f"--out {previous} is a file",
        ("--format", "markdown", "--out", f"{previous}/"): f"--out {previous}/ is a file",
        ("--format", "html", "--out", str(mine)): "did not write that this export would "
        "replace: index.html",
        ("--out", str(mine)): "did not write that this export would replace: index.md",
        ("--format", "pdf", "--out", str(tmp_path / "x")): "invalid choice: 'pdf'",
    }
    for args, message in cases.items():
        result = docsgen("generate", str(sample_repo), *args, env=ENV)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)
        assert result.stdout == ""
    assert previous.read_text() == "previous docs\n"
    assert sorted(p.name for p in mine.iterdir()) == ["index.html", "index.md"]
    assert (mine / "index.md").read_text() == "# My own notes\n"
    assert not (tmp_path / "x").exists()


def test_a_failed_generation_leaves_the_previous_site_as_it_was(
    repos_root: Path, sample_repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    first = docsgen("generate", str(sample_repo), "--format", "html", "--out", str(out), env=ENV)
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    empty = repos_root / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    failed = docsgen("generate", str(empty), "--format", "html", "--out", str(out), env=ENV)
    assert failed.returncode == 1
    assert failed.stderr.splitlines()[-1] == "docsgen: Repository appears to be empty"
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
