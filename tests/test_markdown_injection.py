"""Repository strings cannot write Markdown: file names, symbols, manifest values, titles.

Every string a repository controls goes through ``docsgen.generator.markdown.printable``
(by way of ``escape``, ``code``, table cells, Mermaid labels and the structure tree), so
a file named ``"a\\n\\n# Injected heading"`` shows as that name, on one line, and never
becomes a heading, a link or any other element of the rendered page.
"""

from __future__ import annotations

import re
from html import escape as escape_html
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.generator.markdown import code, escape, fence, printable
from docsgen.generator.mermaid import quote
from docsgen.generator.pages import is_page_link
from docsgen.generator.sections import SECTIONS
from docsgen.render import render_html
from tests.support.api import docs_of, generate, register_local
from tests.support.gitrepo import make_repo

Client = TestClient[Any, Any]

# Markdown that, if it were written as it is, would be a heading, a link, an image,
# emphasis, a table cell and raw HTML.
INJECTION = (
    "\n\n# Injected heading\n\n[phish](mailto:x@evil.example) ![img](https:evil.example)"
    " **strongmark** _emphmark_ | cell <b>boldmark</b>\n\n"
)
ESCAPED = INJECTION.replace("\n", "\\n")  # as a JavaScript or JSON string literal


def hostile_files() -> dict[str, str | bytes]:
    return {
        f"pkg/evil{INJECTION}z.py": 'def f():\n    """A function in a hostile file."""\n',
        "pkg/__init__.py": "",
        "app.py": (
            "import os\n\nfrom aiohttp import web\n\n\n"
            f"async def handler(request, a={INJECTION!r}):\n    return web.Response()\n\n\n"
            f'def multiline(x="""{INJECTION}"""):\n    """Doc."""\n\n\n'
            f"SETTING = os.environ.get({INJECTION!r}, {INJECTION!r})\n"
            "app = web.Application()\n"
            f"app.router.add_route({('GET' + INJECTION)!r}, {('/x' + INJECTION)!r}, handler)\n"
        ),
        f'web/evil{INJECTION}".js': "export const a = 1;\n",
        "web/main.js": (
            f'import {{ a }} from "./evil{ESCAPED}\\".js";\n'
            "export function hostile(x = `\r# Injected heading\r[phish](mailto:x@evil.example)\r`)"
            " { return x + a; }\n"
        ),
        "package.json": (
            f'{{"name": "evil", "bin": {{"evil{ESCAPED}": "cli.js"}},'
            f' "scripts": {{"build": "echo{ESCAPED}"}},'
            f' "dependencies": {{"evil{ESCAPED}": "1.0{ESCAPED}"}}}}\n'
        ),
        "pyproject.toml": (
            '[project]\nname = "evil"\nversion = "1"\n'
            'dependencies = ["evil[phish](mailto:x@evil.example)>=1"]\n'
            f'[project.scripts]\n"evil{ESCAPED}" = "pkg:main{ESCAPED}"\n'
        ),
        "README.md": (
            "# Evil\n\nAn evil repository [phish](mailto:x@evil.example) **strongmark**.\n\n"
            "## Install [phish](mailto:x@evil.example) **strongmark** <b>boldmark</b>\n\n"
            "```sh\npip install evil\n```\n"
        ),
    }


class Elements(HTMLParser):
    """The elements of a rendered page: every tag with its attributes, and headings' text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[str, str]] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append((tag, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if any(re.fullmatch(r"h[1-6]", t) for t in self._open) and self.headings:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, text + data)


# The sections in reading order: the API Reference last.
READING_ORDER = [s.title for s in SECTIONS if s.key != "api_reference"] + ["API Reference"]


def assert_nothing_injected(html: str, title: str, sections: list[str] | None = None) -> None:
    """Headings only where the generator puts them (the ``h1`` ``title``, the ``h2``
    ``sections`` when given), links only within the documentation, no markup."""
    page = Elements()
    page.feed(html)
    headings = [(tag, text.strip()) for tag, text in page.headings]
    assert [text for tag, text in headings if tag == "h1"] == [title]
    if sections is not None:
        assert [text for tag, text in headings if tag == "h2"] == sections
    assert not [text for _, text in headings if text.startswith("Injected")], headings
    links = [attrs.get("href") or "" for tag, attrs in page.tags if tag == "a"]
    assert [h for h in links if not h.startswith("#") and not is_page_link(h)] == []
    assert not {"img", "b", "script"} & {tag for tag, _ in page.tags}
    assert "<strong>strongmark</strong>" not in html and "<em>emphmark</em>" not in html
    # A symbol's id is its name as written (``printable``), a value, never a link.
    assert "mailto:" not in " ".join(str(attrs.get("href")) for _, attrs in page.tags)


def assert_mermaid_labels_stay_on_their_line(markdown: str) -> None:
    blocks = re.findall(r"```mermaid\n(.*?)\n```", markdown, re.DOTALL)
    assert blocks
    for block in blocks:
        lines = block.splitlines()
        assert lines[0].startswith("flowchart ")
        for line in lines[1:]:
            node = r'\s+m_\w+\["[^"]*"\]'
            edge = r'\s+m_\w+ -->(?:\|"[^"]*"\|)? m_\w+'
            assert re.fullmatch(node, line) or re.fullmatch(edge, line), line


async def test_hostile_names_are_shown_literally_and_inject_no_element(
    app: web.Application, client: Client, auth: dict[str, str], repos_root: Path
) -> None:
    title = "evil [phish](mailto:x@evil.example) **strongmark**\n\n# Injected title"
    path = repos_root / title
    make_repo(path, hostile_files())
    repo = await register_local(client, auth, path)
    status = await generate(app, client, auth, repo["id"])
    assert status["status"] == "completed", status
    docs = await docs_of(client, auth, repo["id"])
    markdown = docs["content"]
    for page in docs["pages"].values():
        assert_nothing_injected(page["html"], page["title"])
    # The download, too.
    assert_nothing_injected(render_html(markdown), printable(title), READING_ORDER)
    html = "\n".join(page["html"] for page in docs["pages"].values())
    assert_mermaid_labels_stay_on_their_line(markdown)
    # The names are there, shown as they are: on one line, line breaks as \n.
    assert escape_html(f"evil{printable(INJECTION)}z.py", quote=False) in html
    assert "#lt;b#gt;boldmark#lt;/b#gt;" in markdown  # in the diagram's label


# --- the helpers, on plain data ------------------------------------------------------


def test_printable_shows_what_could_end_a_line_or_hide_itself_as_escapes() -> None:
    assert printable("plain name_1.py\tand a tab") == "plain name_1.py\tand a tab"
    assert printable("a\nb\rc\x00d\x1be\x7ff\x85g") == "a\\nb\\rc\\x00d\\x1be\\x7ff\\x85g"
    assert printable("a\u2028b\u202ec\u2066d") == "a\\u2028b\\u202ec\\u2066d"
    assert printable("caf\udce9.py") == "caf\\xe9.py"  # the byte that was not UTF-8


def test_escape_code_and_fence_keep_repository_text_literal_and_on_one_line() -> None:
    assert escape("a\n# b [c](d)") == "a\\\\n\\# b \\[c\\]\\(d\\)"
    assert code("x\n\n# y") == "`x\\n\\n# y`"
    assert code("a`b") == "``a`b``"
    assert fence("text", "sh`\nx") == "```sh\\nx\ntext\n```"


def test_mermaid_labels_are_one_quoted_line_with_markup_as_entities() -> None:
    assert quote('a\n"b"<c>&#d`') == '"a\\n#quot;b#quot;#lt;c#gt;#amp;#35;d#96;"'
