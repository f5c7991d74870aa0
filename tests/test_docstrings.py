"""Doc comments in full: each style's parts parsed, rendered as an entry's Markdown."""

from __future__ import annotations

from docsgen.generator.analysis.file_analysis import Parameter
from docsgen.generator.docstrings import parse
from docsgen.generator.docstrings.links import Linker, unlinked
from docsgen.generator.docstrings.model import ref
from docsgen.generator.docstrings.render import render

GOOGLE = """Send a request.

Longer words about it.

Args:
    url: The URL to fetch.
    timeout (float): Seconds to wait.

Returns:
    Response: The response.

Raises:
    HTTPError: When the server says no.

Examples:
    >>> get("https://example.com")
    <Response [200]>
"""

SPHINX = """Register a rule for routing incoming requests.

.. code-block:: python

    @app.route("/")
    def index():
        return "Hello"

:param rule: The URL rule string.
:param options: Extra options passed to the
    :class:`~werkzeug.routing.Rule` object.
:return: A decorator.

.. deprecated:: 2.2
    Use ``add_url_rule`` instead.
"""

NUMPY = """Compute things.

Parameters
----------
x : int
    The x.
y : str, optional
    The y.

Returns
-------
int
    The result.
"""


def test_google_sections_become_a_parameters_table_returns_raises_and_code() -> None:
    doc = parse("Python", GOOGLE)
    assert doc.summary == "Send a request." and doc.description == "Longer words about it."
    assert [(f.name, f.type, f.description) for f in doc.parameters] == [
        ("url", None, "The URL to fetch."),
        ("timeout", "float", "Seconds to wait."),
    ]
    params = (Parameter("url", annotation="str"), Parameter("timeout", default="5.0"))
    markdown = render(doc, params).markdown
    assert "| `url` | `str` |  | The URL to fetch. |" in markdown
    assert "| `timeout` | `float` | `5.0` | Seconds to wait. |" in markdown
    assert "**Returns** `Response`: The response." in markdown
    assert "- `HTTPError`: When the server says no." in markdown
    assert '```python\n>>> get("https://example.com")\n<Response [200]>\n```' in markdown
    assert "Args:" not in markdown


def test_sphinx_fields_roles_directives_become_markdown() -> None:
    doc = parse("Python", SPHINX)
    assert doc.summary == "Register a rule for routing incoming requests."
    assert '```python\n@app.route("/")' in doc.description
    assert [f.name for f in doc.parameters] == ["rule", "options"]
    assert " ".join(doc.parameters[1].description.split()) == (
        "Extra options passed to the " + ref("werkzeug.routing.Rule", "Rule") + " object."
    )
    assert doc.deprecated == "Since version 2.2. Use `add_url_rule` instead."
    params = (Parameter("self"), Parameter("rule"), Parameter("options", kind="var-keyword"))
    rendered = render(doc, params)
    assert rendered.markdown.startswith("> **Deprecated.** Since version 2.2.")
    assert ":param" not in rendered.markdown and ":class:" not in rendered.markdown
    assert "| `**options` |" in rendered.markdown
    assert rendered.warnings == []


def test_numpy_sections_are_parsed() -> None:
    doc = parse("Python", NUMPY)
    assert [(f.name, f.type, f.description) for f in doc.parameters] == [
        ("x", "int", "The x."),
        ("y", "str", "The y."),
    ]
    assert [(f.type, f.description) for f in doc.returns] == [("int", "The result.")]


def test_a_documented_parameter_the_signature_lacks_is_flagged() -> None:
    doc = parse("Python", "Do it.\n\n:param ghost: Not there any more.\n")
    rendered = render(doc, (Parameter("real"),))
    assert "⚠️ documented, but the signature has no such parameter: Not there any more." in (
        rendered.markdown
    )
    assert rendered.warnings == ["`ghost` is documented but is not a parameter"]


def test_prose_keeps_the_authors_markdown_and_demotes_headings() -> None:
    doc = parse("Python", "Do **it** with `care`.\n\n# Not a page heading\n\nMore\n====\n")
    markdown = render(doc).markdown
    assert markdown.startswith("Do **it** with `care`.")
    assert "\n**Not a page heading**" in markdown and "\n# " not in markdown
    assert "**More**" in markdown and "====" not in markdown


def test_jsdoc_tags_and_inline_links() -> None:
    doc = parse(
        "TypeScript",
        "Fetches a shape, see {@link Router}.\n@param {string} name the shape's name\n"
        "@param [precision=2] digits\n@returns {Promise<number>} the area\n"
        "@throws {RangeError} when unknown\n@example\nawait area('x')\n@deprecated use `size`",
    )
    assert doc.summary == "Fetches a shape, see " + ref("Router", "Router") + "."
    assert [(f.name, f.type) for f in doc.parameters] == [("name", "string"), ("precision", None)]
    assert [(f.type, f.description) for f in doc.returns] == [("Promise<number>", "the area")]
    assert [(f.name, f.description) for f in doc.raises] == [("RangeError", "when unknown")]
    assert doc.examples == ("```\nawait area('x')\n```",)
    assert doc.deprecated == "use `size`"
    markdown = render(doc).markdown
    assert "@param" not in markdown and "@returns" not in markdown


def test_javadoc_html_and_tags() -> None:
    doc = parse(
        "Java",
        "Greets <b>people</b>.<p>Use {@code greet} often.\n@param name who\n@return the line\n"
        "@throws IllegalStateException when closed\n@author someone",
    )
    assert doc.summary == "Greets **people**."
    assert doc.description == "Use `greet` often."
    assert [f.name for f in doc.parameters] == ["name"]
    assert [f.description for f in doc.returns] == ["the line"]
    assert [f.name for f in doc.raises] == ["IllegalStateException"]


def test_rustdoc_sections_and_intra_doc_links() -> None:
    doc = parse(
        "Rust",
        "Parses JSON into a [`Value`].\n\nSee [the map](crate::Map).\n\n# Errors\n\n"
        "Fails on bad input.\n\n# Examples\n\n```\n# use serde_json::Value;\n"
        'let v: Value = from_str("1")?;\n```\n',
    )
    assert doc.summary == "Parses JSON into a " + ref("Value", "`Value`") + "."
    assert doc.description == "See " + ref("crate::Map", "the map") + "."
    assert doc.notes == (("Errors", "Fails on bad input."),)
    assert doc.examples == ('```rust\nlet v: Value = from_str("1")?;\n```',)


def test_go_doc_comments() -> None:
    doc = parse(
        "Go",
        "Equal reports whether x and y are equal, see [Options].\n\n"
        "# Details\n\n\tif cmp.Equal(x, y) {\n\t}\n\nDeprecated: use [Diff].",
    )
    assert (
        doc.summary
        == "Equal reports whether x and y are equal, see " + ref("Options", "`Options`") + "."
    )
    assert "**Details**" in doc.description and "```go\nif cmp.Equal(x, y) {\n}\n```" in (
        doc.description
    )
    assert doc.deprecated == "use [Diff]."


def test_references_link_to_documented_names_or_stay_code() -> None:
    linker = Linker(["rich.table.Table", "rich.console.Console", "flask.Flask.route"])
    text = " ".join(
        [ref("rich.table.Table", "Table"), ref("Console"), ref("route"), ref("nowhere.Thing")]
    )
    assert linker.link(text, "rich.progress") == (
        "[`Table`](#rich.table.Table) [`Console`](#rich.console.Console) "
        "[`route`](#flask.Flask.route) `nowhere.Thing`"
    )


def test_a_rest_escape_after_markup_joins_the_word_and_punctuation_escapes_stay() -> None:
    doc = parse("Python", r"Either :class:`Option`\s or ``Argument``\ s; a\s and `x`\* stay.")
    assert doc.summary == "Either " + ref("Option") + r"s or `Argument`s; a\s and `x`\* stay."


def test_unlinked_shows_every_reference_as_code() -> None:
    text = f"Either {ref('click.Option', 'Option')}s or {ref('`Argument`')}."
    assert unlinked(text) == "Either `Option`s or `Argument`."
    assert unlinked("no reference") == "no reference"


def test_dunder_names_in_prose_read_as_written_code_and_links_untouched() -> None:
    # rich's ``ConsoleOptions``: "Options for __rich_console__ method." (Markdown would
    # show "rich_console" in bold.)
    doc = parse(
        "Python",
        "Options for __rich_console__ method, see ``__init__``, :meth:`object.__init__`, "
        "`the file <https://x.org/__init__.py>`_ and a__b__c.",
    )
    assert doc.summary == (
        r"Options for \_\_rich_console\_\_ method, see `__init__`, "
        + ref("object.__init__")
        + ", [the file](https://x.org/__init__.py) and a__b__c."
    )


def test_a_block_indented_under_the_summary_stays_a_block_a_quoted_list_a_list() -> None:
    # Django's ``Case``: "An SQL searched CASE expression:" then the SQL, indented.
    case = parse(
        "Python", "An SQL searched CASE expression:\n\n    CASE\n        WHEN n > 0\n    END"
    )
    assert case.description == "    CASE\n        WHEN n > 0\n    END"
    # Django's ``CommonMiddleware``: a list quoted under the summary reads as a list.
    listed = parse("Python", "Common middleware:\n\n    - Forbid access\n\n    - Rewrite URLs")
    assert listed.description.startswith("- Forbid access")
    # A docstring whose lines after the first are indented alike is prose throughout.
    uneven = parse("Python", "Take a block\n    of text.\n\n    Return it.")
    assert uneven.description == "Return it."


def test_an_inherited_member_is_asked_for_only_when_a_doc_names_it() -> None:
    asked: list[tuple[str, str]] = []

    def inherited(owner: str, member: str) -> str | None:
        asked.append((owner, member))
        return f"app.App.{member}" if owner == "app.Flask" and member == "route" else None

    linker = Linker(["app.App", "app.App.route", "app.Flask", "app.routing"], None, inherited)
    assert linker.resolve("route", "app", ("app.Flask",)) == "app.App.route"  # the class first
    assert linker.resolve("Flask.route", "other") == "app.App.route"  # by the class's name
    assert linker.resolve("Flask.nothing", "other") is None
    assert linker.resolve("app.routing", "app", ("app.Flask",)) == "app.routing"
    assert ("app.Flask", "routing") not in asked  # documented as written: nothing asked


def test_a_role_written_with_double_backquotes_is_the_role_meant() -> None:
    # werkzeug's Client: "``response_wrapper`` is always a subclass of :class:``TestResponse``."
    doc = parse("Python", "Wrap it.\n\nAlways a subclass of :class:``TestResponse``.\n")
    assert doc.description == "Always a subclass of " + ref("TestResponse", "TestResponse") + "."
    # Single backquotes, and a literal beside a role, read as before.
    doc = parse("Python", "Use :func:`get` with ``timeout=3`` and :meth:`~a.B.c`.\n")
    assert doc.summary == (
        "Use " + ref("get", "get") + " with `timeout=3` and " + ref("a.B.c", "c") + "."
    )
