"""Doc comments in full on real projects: what each style says reaches the reference.

requests and flask write Sphinx fields, rich Google sections, httpx Markdown;
serde_json rustdoc, express JSDoc, go-cmp and uuid Go doc comments.  On each: parameter descriptions land in the parameters
tables, no raw markup of the styles is left, examples are code blocks, every
cross-reference links to an anchor the reference has, and inherited members
are listed with where they come from.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ProcessPoolExecutor
from functools import cache

import pytest

from docsgen.generator.engine.run import Engine
from tests.support import projects
from tests.support.generation import api_entries, document, fetch, module_blocks, pool, section

__all__ = ["pool"]

PROJECTS = [
    "requests", "flask", "rich", "httpx", "click", "jinja2", "itsdangerous", "serde_json",
    "express", "go-cmp", "uuid",
]  # fmt: skip
RAW_MARKUP = re.compile(r":param\b|:class:`|:meth:`|:func:`|@param\b|@returns?\b|:rtype:")
_LINK = re.compile(r"\]\(#([^)\s]+)\)")


@cache
def reference(project: str, executor: ProcessPoolExecutor) -> str:
    repo = projects.checkout(project)
    docs = asyncio.run(document(asyncio.run(fetch(repo)), Engine(executor)))
    return section(docs, "API Reference")


def anchors(api: str) -> set[str]:
    """Every anchor the reference defines: its modules, and their entries by name."""
    found: set[str] = set()
    for module, block in module_blocks(api).items():
        found.add(module)
        sep = "::" if block.lstrip().startswith("*Rust*") else "."
        found.update(f"{module}{sep}{name}" for name in api_entries(block))
    return found


@pytest.mark.parametrize("project", PROJECTS)
def test_no_raw_markup_and_every_reference_links_to_an_anchor_that_exists(
    project: str, pool: ProcessPoolExecutor
) -> None:
    api = reference(project, pool)
    raw = sorted({m.group(0) for m in RAW_MARKUP.finditer(api)})
    assert raw == []
    links = set(_LINK.findall(api))
    # express's JSDoc and go-cmp's and uuid's comments name no declaration to link.
    assert links or project in ("express", "go-cmp", "uuid")
    assert sorted(links - anchors(api)) == []


def test_a_reference_summarised_in_the_overview_is_code_and_rest_escapes_join_words(
    pool: ProcessPoolExecutor,
) -> None:
    # click's ``Parameter``: "they are either :class:`Option`\\s or :class:`Argument`\\s."
    docs = asyncio.run(document(asyncio.run(fetch(projects.checkout("click"))), Engine(pool)))
    assert re.search("[\x00-\x03]", docs.content) is None
    overview, api = section(docs, "Overview"), section(docs, "API Reference")
    assert "they are either `Option`s or `Argument`s." in overview
    assert "they are either\n[`Option`](#click.Option)s or [`Argument`](#click.Argument)s." in api


def test_sphinx_fields_fill_the_parameters_table(pool: ProcessPoolExecutor) -> None:
    get = api_entries(module_blocks(reference("requests", pool))["requests"])["get"]
    assert "| `url` |  |  | URL for the new [`Request`](#requests.Request) object. |" in get.doc
    assert "| `params` |  | `None` | (optional) Dictionary, list of tuples or bytes" in get.doc
    request = api_entries(module_blocks(reference("requests", pool))["requests"])["request"]
    # The ``Usage::`` block after the fields is an example, not part of the return type.
    assert "```python\n>>> import requests\n>>> req = requests.request(" in request.doc
    assert "**Returns** `requests.Response`: [`Response`](#requests.Response) object" in (
        request.doc
    )


def test_google_sections_fill_the_parameters_table(pool: ProcessPoolExecutor) -> None:
    table = api_entries(module_blocks(reference("rich", pool))["rich.table"])["Table"]
    assert (
        "| `title` | `Optional[TextType]` | `None` | The title of the table rendered at the "
        "top. Defaults to None. |" in table.doc
    )


def test_examples_are_code_and_rustdoc_sections_are_kept(pool: ProcessPoolExecutor) -> None:
    blocks = module_blocks(reference("serde_json", pool))
    from_str = api_entries(blocks["serde_json"])["from_str"]
    assert "**Example**\n\n```rust\nuse serde::Deserialize;" in from_str.doc
    assert "**Errors.** This conversion can fail" in from_str.doc
    route = api_entries(module_blocks(reference("flask", pool))["flask.sansio.scaffold"])
    assert '```python\n@app.route("/")\ndef index():' in route["Scaffold.route"].doc


def test_inherited_members_are_listed_with_their_origin(pool: ProcessPoolExecutor) -> None:
    flask = module_blocks(reference("flask", pool))["flask"]
    assert (
        "*Inherited from [`flask.sansio.scaffold.Scaffold`](#flask.sansio.scaffold.Scaffold):* "
        in flask
    )
    assert "[`route`](#flask.sansio.scaffold.Scaffold.route)" in flask
    # A base no public module exports is named, without a link: it has no entry.
    client = module_blocks(reference("httpx", pool))["httpx"]
    assert "*Inherited from `BaseClient`:* `is_closed`, `trust_env`," in client


def test_jsdoc_tags_fill_the_parameters_table(pool: ProcessPoolExecutor) -> None:
    express = api_entries(module_blocks(reference("express", pool))["express"])
    clear = express["response.clearCookie"]
    assert clear.declaration == "clearCookie(name, options)"
    assert "| `name` | `String` |  |  |\n| `options` | `Object` |  |  |" in clear.doc
    assert "**Returns** `ServerResponse`: for chaining" in clear.doc


def test_a_rest_definition_list_is_a_list_not_code(pool: ProcessPoolExecutor) -> None:
    # jinja2's ``Environment`` lists its parameters as a definition list in a block quote;
    # left indented, Markdown would show it as a block of code.
    environment = api_entries(module_blocks(reference("jinja2", pool))["jinja2"])["Environment"]
    assert "\n- `block_start_string`: The string marking the beginning of a block.  " \
           "Defaults to `'{%'`.\n" in environment.doc  # fmt: skip
    assert "- `undefined`: [`Undefined`](#jinja2.Undefined) or a subclass of it" in (
        environment.doc
    )
    assert "\n    `" not in environment.doc
    # A version note under one parameter stays with it.
    assert "  `-1` the cache will not be cleaned.\n\n  **Changed in version 2.8.** The cache " \
           "size was increased to 400 from a low 50.\n" in environment.doc  # fmt: skip


def test_a_role_s_leading_dot_is_not_shown(pool: ProcessPoolExecutor) -> None:
    # itsdangerous writes ``:class:`.Signer```: Sphinx searches from the current scope
    # and shows "Signer".
    entries = api_entries(module_blocks(reference("itsdangerous", pool))["itsdangerous"])
    assert "the default\n[`Signer`](#itsdangerous.Signer)." in entries["TimedSerializer"].doc
    assert "[`.Signer`]" not in entries["TimestampSigner"].doc


def test_a_reference_by_the_declaring_module_links_where_the_name_is_documented(
    pool: ProcessPoolExecutor,
) -> None:
    # ``:class:`~itsdangerous.signer.Signer``` is documented as ``itsdangerous.Signer``;
    # requests's ``:class:`~requests.exceptions.ConnectTimeout``` as ``requests.ConnectTimeout``.
    serializer = api_entries(module_blocks(reference("itsdangerous", pool))["itsdangerous"])
    assert "A serializer wraps a [`Signer`](#itsdangerous.Signer) to" in (
        serializer["Serializer"].doc
    )
    api = reference("requests", pool)
    assert "[`ConnectTimeout`](#requests.ConnectTimeout) and\n[`ReadTimeout`]" in api
    # flask's ``Blueprint``: "Equivalent to :meth:`.Flask.template_filter`", which ``Flask``
    # inherits from ``flask.sansio.app.App``, documented there.
    blueprint = api_entries(module_blocks(reference("flask", pool))["flask.sansio.blueprints"])
    assert "Equivalent to [`Flask.template_filter`](#flask.sansio.app.App.template_filter)." in (
        blueprint["Blueprint.app_template_filter"].doc
    )


def test_a_hyperlink_target_is_where_its_reference_links(pool: ProcessPoolExecutor) -> None:
    # flask's ``load_dotenv``: "a no-op if `python-dotenv`_ is not installed", then
    # ``.. _python-dotenv: https://...`` after its Sphinx fields.
    load_dotenv = api_entries(module_blocks(reference("flask", pool))["flask.cli"])["load_dotenv"]
    assert "a no-op if [python-dotenv](https://github.com/theskumar/python-dotenv#readme) is" in (
        load_dotenv.doc
    )
    assert ".. _" not in load_dotenv.doc


def test_an_undocumented_override_links_to_the_documentation_it_overrides(
    pool: ProcessPoolExecutor,
) -> None:
    # jinja2's loaders override ``BaseLoader.get_source`` without a docstring of their own;
    # pdoc would show the base's.  A documented method is left as it is.
    jinja2 = api_entries(module_blocks(reference("jinja2", pool))["jinja2"])
    assert jinja2["ChoiceLoader.get_source"].doc == (
        "*Overrides [`BaseLoader.get_source`](#jinja2.BaseLoader.get_source), documented there.*"
    )
    assert "*Overrides [`BaseLoader.load`](#jinja2.BaseLoader.load)" in (
        jinja2["ChoiceLoader.load"].doc
    )
    assert "*Overrides" not in jinja2["BaseLoader.get_source"].doc
    assert "*Overrides" not in jinja2["FileSystemLoader.__init__"].doc
    # Documented there, it is no undocumented name of the module's coverage line.
    coverage = next(
        line
        for line in module_blocks(reference("jinja2", pool))["jinja2"].splitlines()
        if line.startswith("**Documentation:**")
    )
    assert "`ChoiceLoader.get_source`" not in coverage
