"""Publishing's pure parts: links between page files, llms.txt, and the folder written to."""

from __future__ import annotations

from pathlib import Path

import pytest

from docsgen.errors import InvalidInput
from docsgen.generator.pages import DocSymbol, Page
from docsgen.publish.folder import MANIFEST, check_folder, write_folder
from docsgen.publish.links import check_slug, rewrite_html, rewrite_markdown
from docsgen.publish.llms import links_of, llms_full_txt, llms_txt, page_markdown, summary
from docsgen.publish.markdown_dir import markdown_files
from tests.support.static_site import parse_llms_txt

SLUGS = {"overview", "flask.app"}


def md_file(slug: str) -> str:
    return f"{slug}.md"


def html_file(slug: str) -> str:
    return f"{slug}.html"


def test_markdown_links_to_pages_point_at_their_files_and_nothing_else_changes() -> None:
    text = (
        "See [Flask](flask.app#flask.app.Flask) and [the app page](flask.app), "
        "[here](#flask.app.Flask.route), [GitHub](https://github.com/x/y#L3), "
        "[unknown](elsewhere#x), `[code](flask.app#in-code)` and\n\n"
        "```\n[fenced](flask.app#fenced)\n```\n"
    )
    assert rewrite_markdown(text, SLUGS, md_file) == (
        "See [Flask](flask.app.md#flask.app.Flask) and [the app page](flask.app.md), "
        "[here](#flask.app.Flask.route), [GitHub](https://github.com/x/y#L3), "
        "[unknown](elsewhere#x), `[code](flask.app#in-code)` and\n\n"
        "```\n[fenced](flask.app#fenced)\n```\n"
    )


def test_html_links_to_pages_point_at_their_files() -> None:
    html = (
        '<p><a href="flask.app#flask.app.Flask">F</a> <a href="overview">O</a> '
        '<a href="#here">H</a> <a href="https://example.com/overview">E</a> '
        '<a href="flask.app#a&amp;b">Q</a> <a href="../enum.Value.html#method.get" rel="x">D</a> '
        '<a href="mailto:a@example.com">M</a></p>'
    )
    assert rewrite_html(html, SLUGS, html_file) == (
        '<p><a href="flask.app.html#flask.app.Flask">F</a> <a href="overview.html">O</a> '
        '<a href="#here">H</a> <a href="https://example.com/overview">E</a> '
        '<a href="flask.app.html#a&amp;b">Q</a> <a rel="x">D</a> '
        '<a href="mailto:a@example.com">M</a></p>'
    )


@pytest.mark.parametrize("slug", ["", "../up", "a/b", ".hidden", "index", "assets", "a b"])
def test_a_slug_that_cannot_name_a_file_of_the_site_is_refused(slug: str) -> None:
    with pytest.raises(ValueError, match="cannot name a file"):
        check_slug(slug)


def _symbol(qualname: str, slug: str, kind: str = "class") -> DocSymbol:
    return DocSymbol(qualname, slug, kind, f"src/{slug}.py:1", f"What {qualname} is.", 1)


PAGES = (
    Page(
        "overview",
        "Overview",
        None,
        "# Overview\n\nDemo is a *tiny* web framework. It routes requests.\n\n"
        "See [Demo](demo.app#demo.app.Demo).\n",
        0,
        (),
    ),
    Page("api-reference", "API Reference", None, "# API Reference\n\nThe modules.\n", 0, ()),
    Page(
        "demo.app",
        "demo.app",
        "api-reference",
        "# demo.app\n\n## demo.app.Demo\n\nThe app. Back to [Overview](overview).\n",
        0,
        (
            _symbol("demo.app", "demo.app", "module"),
            _symbol("demo.app.Demo.run", "demo.app", "method"),
            _symbol("demo.app.Demo", "demo.app"),
        ),
    ),
    Page("dependencies", "Dependencies [3]", None, "# Dependencies\n\n- click\n", 0, ()),
)


def test_llms_txt_has_a_title_a_summary_and_sections_of_links_to_every_page() -> None:
    text = llms_txt("demo", summary("demo", PAGES[0]), links_of(PAGES), md_file, "llms-full.txt")
    parsed = parse_llms_txt(text)
    sections = parsed.sections
    assert parsed.title == "demo"
    assert parsed.summary == "Demo is a tiny web framework."
    assert list(sections) == ["Guide", "API Reference"]
    assert sections["Guide"] == [
        ("Overview", "overview.md"),
        ("Dependencies \\[3\\]", "dependencies.md"),
    ]
    assert sections["API Reference"] == [
        ("API Reference", "api-reference.md"),
        ("demo.app", "demo.app.md"),
    ]
    # the outermost symbols first, the module itself aside
    assert "- [demo.app](demo.app.md): 2 symbols: `demo.app.Demo`, `demo.app.Demo.run`" in text
    assert "[llms-full.txt](llms-full.txt)" in text


def test_llms_full_txt_is_every_page_in_reading_order_with_links_to_page_files() -> None:
    slugs = {p.slug for p in PAGES}
    bodies = [page_markdown(p, slugs, md_file) for p in PAGES]
    text = llms_full_txt("demo", summary("demo", PAGES[0]), bodies)
    assert text.startswith("# demo\n\n> Demo is a tiny web framework.\n")
    starts = [text.index(p.markdown.split("\n\n")[0] + "\n") for p in PAGES]
    assert starts == sorted(starts)
    assert "[Demo](demo.app.md#demo.app.Demo)" in text
    assert "[Overview](overview.md)" in text


def test_the_markdown_folder_is_an_index_and_a_file_per_page() -> None:
    files = markdown_files("demo", PAGES)
    assert set(files) == {"index.md", *(f"{p.slug}.md" for p in PAGES)}
    assert files["index.md"] == (
        "# demo\n\n> Demo is a tiny web framework.\n\n## Contents\n\n"
        "- [Overview](overview.md)\n- [API Reference](api-reference.md)\n"
        "  - [demo.app](demo.app.md)\n- [Dependencies \\[3\\]](dependencies.md)\n"
    )
    assert "Back to [Overview](overview.md)." in files["demo.app.md"]


# --- the folder ------------------------------------------------------------------------


def test_a_new_folder_is_created_with_the_files_and_their_list(tmp_path: Path) -> None:
    out = tmp_path / "a" / "site"
    write_folder(out, {"index.html": "<p>hi</p>", "assets/x.js": b"1;"})
    assert (out / "index.html").read_text() == "<p>hi</p>"
    assert (out / "assets" / "x.js").read_bytes() == b"1;"
    assert (out / MANIFEST).read_text() == "assets/x.js\nindex.html\n"
    assert sorted(p.name for p in out.rglob(".*.partial")) == []


def test_rewriting_a_folder_removes_its_stale_files_and_keeps_what_docsgen_did_not_write(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    write_folder(out, {"index.html": "1", "old.html": "1"})
    (out / "CNAME").write_text("docs.example.com\n")
    write_folder(out, {"index.html": "2", "new.html": "2"})
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "CNAME", "index.html", "new.html"]
    assert (out / "index.html").read_text() == "2"
    assert (out / "CNAME").read_text() == "docs.example.com\n"


def test_a_file_docsgen_did_not_write_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_folder(out, {"index.html": "1"})
    (out / "mine.md").write_text("my notes\n")
    with pytest.raises(InvalidInput, match=r"did not write .*: mine\.md"):
        write_folder(out, {"index.html": "2", "mine.md": "page"})
    assert (out / "mine.md").read_text() == "my notes\n"
    assert (out / "index.html").read_text() == "1", "nothing written when one file clashes"


def test_a_folder_with_other_files_is_written_beside_them_and_a_file_is_refused(
    tmp_path: Path,
) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "thesis.tex").write_text("\\begin{document}")
    (busy / "index.md").write_text("# My own index\n")
    with pytest.raises(InvalidInput, match=r"did not write .*: index\.md; name another folder"):
        check_folder(busy, ["index.md"])
    check_folder(busy, ["index.html"])
    write_folder(busy, {"index.html": "x"})
    assert sorted(p.name for p in busy.iterdir()) == [
        MANIFEST,
        "index.html",
        "index.md",
        "thesis.tex",
    ]
    assert (busy / "index.md").read_text() == "# My own index\n"
    file = tmp_path / "docs.md"
    file.write_text("previous\n")
    with pytest.raises(InvalidInput, match="is a file"):
        check_folder(file)
    assert file.read_text() == "previous\n"
    check_folder(tmp_path / "new" / "deeper", ["index.md"])
