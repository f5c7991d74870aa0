"""The reference of JavaScript, TypeScript, Go and Rust projects as a newcomer reads it.

chalk, nanoid, pkg/errors and log are read as TypeDoc, ``go doc`` and rustdoc
show them: every public entry point documented from what its users see, doc
comments rendered as their conventions mean, no warning where nothing is wrong.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ProcessPoolExecutor
from functools import cache

from docsgen.generator.engine.run import Engine
from docsgen.generator.pipeline import GeneratedDocs
from tests.support import projects
from tests.support.generation import api_entries, document, fetch, module_blocks, pool, section

__all__ = ["pool"]


@cache
def docs(project: str, executor: ProcessPoolExecutor) -> GeneratedDocs:
    return asyncio.run(document(asyncio.run(fetch(projects.checkout(project))), Engine(executor)))


def test_a_subpath_export_is_documented_from_the_declarations_beside_it(
    pool: ProcessPoolExecutor,
) -> None:
    # ``"./non-secure": "./non-secure/index.js"``: TypeScript reads non-secure/index.d.ts.
    blocks = module_blocks(section(docs("nanoid", pool), "API Reference"))
    block = blocks["nanoid/non-secure"]
    assert block.lstrip().startswith(
        "*TypeScript* · `non-secure/index.d.ts`, `non-secure/index.js`"
    )
    nanoid = api_entries(block)["nanoid"]
    assert nanoid.declaration == "function nanoid(size?: number): string"
    assert "| `size` | `number` |  | Size of the ID. The default size is 21. |" in nanoid.doc


def test_a_code_block_after_a_returns_tag_is_an_example(pool: ProcessPoolExecutor) -> None:
    blocks = module_blocks(section(docs("nanoid", pool), "API Reference"))
    doc = api_entries(blocks["nanoid"])["customAlphabet"].doc
    assert "**Returns** A random string generator.\n\n**Example**\n\n```js\n" in doc
    assert "const nanoid = customAlphabet('0123456789абвгдеё', 5)\n" in doc


def test_params_of_a_field_typed_as_a_function_are_its_parameters(
    pool: ProcessPoolExecutor,
) -> None:
    # ``@param color - …`` over ``hex: (color: string) => this``
    blocks = module_blocks(section(docs("chalk", pool), "API Reference"))
    hex_ = api_entries(blocks["chalk"])["ChalkInstance.hex"]
    assert "| `color` | `string` |  | Hexadecimal value representing the desired color. |" in (
        hex_.doc
    )
    assert "⚠️" not in blocks["chalk"]


def test_how_it_works_starts_from_what_a_crate_shows_its_users(pool: ProcessPoolExecutor) -> None:
    # log's ``#[doc(hidden)] pub fn __private_api_log`` serves its macros; rustdoc hides it.
    how = section(docs("log", pool), "How it works")
    assert "__private_api_log" not in how
    assert "### `set_boxed_logger`: `log::set_boxed_logger`, a function the crate exports" in how


def test_an_extern_crate_is_no_module_of_the_repository(pool: ProcessPoolExecutor) -> None:
    # src/kv/key.rs: ``mod serde_support { extern crate serde; use self::serde::…; }`` names
    # the serde crate, not log's own src/serde.rs.
    architecture = section(docs("log", pool), "Architecture")
    assert "m_src_kv_key_rs --> m_src_serde_rs" not in architecture
    assert "| `src/serde.rs` | 1 | `serde` in `src/lib.rs:342` |" in architecture
    assert "name no file of the repository" not in architecture


def test_go_doc_headings_and_code_blocks_read_as_go_doc_shows_them(
    pool: ProcessPoolExecutor,
) -> None:
    # pkg/errors' package doc: "Adding context to an error" is a heading between paragraphs;
    # its examples are indented by four spaces, which a code block leaves out.
    block = module_blocks(section(docs("pkg-errors", pool), "API Reference"))["errors"]
    assert "\n\n**Adding context to an error**\n\nThe errors.Wrap function returns" in block
    assert "```go\nif err != nil {\n        return err\n}\n```" in block
    # A sentence of its own is no heading: it ends with a full stop.
    assert "\n\nSee the documentation for Frame.Format for more details.\n" in block


def test_a_link_to_a_page_rustdoc_writes_leads_to_its_item_here(
    pool: ProcessPoolExecutor,
) -> None:
    # log links ``[`error!`]: ./macro.error.html`` and ``[`Record`](struct.Record.html)``:
    # pages of rustdoc's output, which this reference does not have.
    api = section(docs("log", pool), "API Reference")
    assert "macros: [`error!`](#log::error),\n[`warn!`](#log::warn)," in api
    assert "Builder for [`Record`](#log::Record)." in api
    assert "(struct.Record.html)" not in api and "(./macro.error.html)" not in api
    # ``macro.log.html`` is the macro ``log!``, not the crate's module ``log``.
    assert "The `log!`, [`error!`](#log::error), [`warn!`](#log::warn)," in api


def test_an_import_of_a_vendored_file_is_no_broken_import(pool: ProcessPoolExecutor) -> None:
    # chalk imports its copy of ansi-styles in source/vendor/: listed, not analysed.
    generated = docs("chalk", pool)
    assert "name no file of the repository" not in section(generated, "Architecture")
    entry = api_entries(module_blocks(section(generated, "API Reference"))["chalk"])["ColorName"]
    assert entry.alias_of == "./vendor/ansi-styles/index.js.ColorName"
    assert "from a file not analysed here · `source/index.d.ts:245`" in entry.body


def test_an_interface_shows_how_its_values_are_called(pool: ProcessPoolExecutor) -> None:
    # ``chalk.blue('Hello')``: a ChalkInstance is called with the text to style.
    blocks = module_blocks(section(docs("chalk", pool), "API Reference"))
    instance = api_entries(blocks["chalk"])["ChalkInstance"]
    assert instance.declaration == "interface ChalkInstance { (...text: unknown[]): string }"


def test_a_comment_of_the_readme_is_no_use_of_a_name(pool: ProcessPoolExecutor) -> None:
    # chalk's README: "// Use RGB colors in terminal emulators that support it."
    overview = section(docs("chalk", pool), "Overview")
    assert "- [`chalk`](#chalk.default): `import chalk from 'chalk';` (`readme.md:93`)" in overview
    assert "Use RGB colors" not in overview
