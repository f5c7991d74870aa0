"""TypeScript declarations as TypeDoc reads them: merged namespaces, overloads, ESM first.

dayjs's ``index.d.ts`` is ``export = dayjs`` over three ``declare function
dayjs`` overloads and a ``declare namespace dayjs`` holding the ``Dayjs``
class, its types and ``extend``/``locale``/``unix``: TypeScript merges them,
so all of it is what ``import dayjs from "dayjs"`` gives.  axios's manifest
gives ``index.d.cts`` for ``require`` and ``index.d.ts`` otherwise: the ES
module's declarations are what TypeDoc documents.
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


def _module(project: str, module: str, executor: ProcessPoolExecutor) -> str:
    return module_blocks(section(docs(project, executor), "API Reference"))[module]


def test_a_namespace_merged_with_the_exported_function_is_documented_as_its_members(
    pool: ProcessPoolExecutor,
) -> None:
    entries = api_entries(_module("dayjs", "dayjs", pool))
    clone = entries["default.Dayjs.clone"]
    assert clone.declaration == "clone(): Dayjs"
    assert clone.doc.startswith(
        "All Day.js objects are immutable. Still, `dayjs#clone` can create a clone"
    )
    assert "```\ndayjs().clone()// => Dayjs\n" in clone.doc  # its example, as code
    assert entries["default.Dayjs"].declaration == "class Dayjs"
    assert entries["default.Dayjs"].level == 5
    assert entries["default.extend"].declaration == (
        "function extend<T = unknown>(plugin: PluginFunc<T>, option?: T): Dayjs"
    )
    assert entries["default.unix"].citation == "`index.d.ts:426`"
    # ``interface ConfigTypeMap`` says no ``export``: in a ``declare namespace`` it is.
    assert entries["default.ConfigTypeMap"].declaration == "interface ConfigTypeMap"
    # The namespace is no name of its own: it is the function's.
    assert [e.name for e in entries.values() if e.level == 4] == ["default"]


def test_every_overload_of_a_function_is_shown_in_source_order(
    pool: ProcessPoolExecutor,
) -> None:
    entries = api_entries(_module("dayjs", "dayjs", pool))
    signatures = entries["default"].declaration.split("\nfunction dayjs ")
    assert len(signatures) == 3
    assert signatures[0] == "function dayjs (date?: dayjs.ConfigType): dayjs.Dayjs"
    assert "strict?: boolean," in signatures[1] and "locale?" not in signatures[1]
    assert "locale?: string," in signatures[2]


def test_a_getter_and_a_setter_overload_are_one_method_with_both_signatures(
    pool: ProcessPoolExecutor,
) -> None:
    year = api_entries(_module("dayjs", "dayjs", pool))["default.Dayjs.year"]
    assert year.declaration == "year(): number\nyear(value: number): Dayjs"
    assert year.doc.startswith("Get the year.")  # the first overload's doc comment
    assert year.citation == "`index.d.ts:59`"


def test_an_entry_point_is_documented_from_its_es_module_declarations(
    pool: ProcessPoolExecutor,
) -> None:
    # ``"types": {"require": "./index.d.cts", "default": "./index.d.ts"}``
    block = _module("axios", "axios", pool)
    assert block.lstrip().startswith("*TypeScript* · `index.d.ts`, `index.d.cts`, `index.js`")
    entries = api_entries(block)
    assert entries["AxiosHeaders"].declaration == "class AxiosHeaders"
    assert entries["AxiosHeaders"].citation == "`index.d.ts:16`"
    assert entries["AxiosHeaders.get"].declaration == (
        "get(headerName: string, parser: RegExp): RegExpExecArray | null\n"
        "get(headerName: string, matcher?: true | AxiosHeaderParser): AxiosHeaderValue"
    )
    assert "AxiosHeaders.setContentType" in entries
    assert entries["isAxiosError"].citation == "`index.d.ts:533`"
    assert entries["AxiosRequestConfig"].declaration == "interface AxiosRequestConfig<D = any>"
    assert entries["default"].declaration == "axios: AxiosStatic"


def test_merging_and_overloads_bring_no_warning(pool: ProcessPoolExecutor) -> None:
    assert "⚠️" not in _module("dayjs", "dayjs", pool)
    assert "⚠️" not in _module("axios", "axios", pool)


def test_a_parameter_only_a_later_overload_takes_is_in_the_parameters_table(
    pool: ProcessPoolExecutor,
) -> None:
    # commander's ``command(nameAndArgs, opts?)`` and ``command(nameAndArgs, description,
    # opts?)``: the table covers both.
    command = api_entries(_module("commander", "commander", pool))["Command.command"]
    assert command.declaration.count("\ncommand(") == 1
    assert "| `description` | `string` |  |  |" in command.doc
    assert "⚠️" not in command.doc
