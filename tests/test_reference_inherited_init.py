"""A class without an ``__init__`` of its own is called with the one it inherits.

werkzeug's ``TooManyRequests`` defines no ``__init__``: users construct it with its
private base ``_RetryAfter``'s, and its docstring describes ``retry_after``.  As
griffe's ``merge_init_into_class`` shows it, its parameters are that signature's,
said where they come from, and what its docstring describes is no error.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ProcessPoolExecutor
from functools import cache

from docsgen.generator.analysis.declarations.python import analyse
from docsgen.generator.docstrings import parse
from docsgen.generator.docstrings.render import parameters_table
from docsgen.generator.engine.run import Engine
from docsgen.generator.pipeline import GeneratedDocs
from tests.support import projects
from tests.support.generation import (
    ApiEntry,
    api_entries,
    document,
    fetch,
    module_blocks,
    pool,
    section,
)

__all__ = ["pool"]


@cache
def docs(project: str, executor: ProcessPoolExecutor) -> GeneratedDocs:
    return asyncio.run(document(asyncio.run(fetch(projects.checkout(project))), Engine(executor)))


def entry(executor: ProcessPoolExecutor, module: str, name: str) -> ApiEntry:
    blocks = module_blocks(section(docs("werkzeug", executor), "API Reference"))
    return api_entries(blocks[module])[name]


def test_a_class_without_init_has_the_parameters_of_its_base_init(
    pool: ProcessPoolExecutor,
) -> None:
    # ``class TooManyRequests(_RetryAfter)``; ``_RetryAfter.__init__`` (line 638) takes
    # ``description``, ``response`` and ``retry_after``.
    doc = entry(pool, "werkzeug.exceptions", "TooManyRequests").doc
    assert "*Parameters of `_RetryAfter.__init__`* · " in doc
    assert "src/werkzeug/exceptions.py:638" in doc.partition("*Parameters of ")[2].split("\n")[0]
    assert "| `description` | `str \\| None` | `None` |  |" in doc
    assert "| `response` | `Response \\| None` | `None` |  |" in doc
    assert (
        "| `retry_after` | `datetime \\| int \\| None` | `None` | If given, set the "
        "`Retry-After` header to this value." in doc
    )
    assert "⚠️" not in doc


def test_the_parameters_come_from_the_nearest_base_that_defines_init(
    pool: ProcessPoolExecutor,
) -> None:
    # ``IntegerConverter(NumberConverter)``, ``NumberConverter(BaseConverter)``: both
    # define ``__init__``; the nearest one's is shown, linked to where it is documented.
    doc = entry(pool, "werkzeug.routing", "IntegerConverter").doc
    assert (
        "*Parameters of [`NumberConverter.__init__`]"
        "(#werkzeug.routing.converters.NumberConverter.__init__)* · "
    ) in doc
    assert "| `fixed_digits` | `int` | `0` | The number of fixed digits in the URL." in doc
    assert "| `signed` | `bool` | `False` | Allow signed (negative) values. |" in doc
    assert "⚠️" not in doc


def test_a_private_base_lists_what_it_gives_before_its_own_bases(
    pool: ProcessPoolExecutor,
) -> None:
    # ``_RetryAfter`` overrides ``get_headers``: HTTPException's is not what is inherited.
    block = module_blocks(section(docs("werkzeug", pool), "API Reference"))
    entries = block["werkzeug.exceptions"].partition("\n#### `TooManyRequests`\n")[2]
    inherited = entries.partition("\n#### ")[0].partition("\n*Inherited from ")[2]
    assert inherited.startswith("`_RetryAfter`:* `__init__`, `get_headers`\n")
    from_http = inherited.partition("*Inherited from [`werkzeug.exceptions.HTTPException`]")[2]
    assert "get_response" in from_http and "get_headers" not in from_http


def test_a_class_with_its_own_init_keeps_its_true_warning(pool: ProcessPoolExecutor) -> None:
    # ``Unauthorized`` documents ``www-authenticate`` for its ``www_authenticate``
    # parameter: a typo in werkzeug's docstring, still said.
    doc = entry(pool, "werkzeug.exceptions", "Unauthorized").doc
    assert "*Parameters of" not in doc
    assert (
        "| `www-authenticate` |  |  | ⚠️ documented, but the signature has no such parameter: "
        in doc
    )


def test_a_private_class_is_kept_marked_for_the_classes_deriving_from_it() -> None:
    path = "src/werkzeug/exceptions.py"
    text = (projects.checkout("werkzeug") / path).read_text(encoding="utf-8")
    found = {s.qualname: s for s in analyse(path, text, "Python").symbols}
    assert not found["_RetryAfter"].public
    assert found["_RetryAfter"].bases == ("HTTPException",)
    assert [p.name for p in found["_RetryAfter.__init__"].parameters] == [
        "self", "description", "response", "retry_after",
    ]  # fmt: skip
    assert "_find_exceptions" not in found  # private functions are still left out
    assert found["TooManyRequests"].bases == ("_RetryAfter",)


def test_a_parameter_neither_the_class_nor_its_base_init_takes_is_still_flagged() -> None:
    # Django's ``TemplateCommand(BaseCommand)`` documents the arguments of its ``handle``,
    # not those of ``BaseCommand.__init__`` (another file) it is constructed with.
    root = projects.checkout("django")
    found = {}
    for path in ("django/core/management/templates.py", "django/core/management/base.py"):
        text = (root / path).read_text(encoding="utf-8")
        found.update({s.qualname: s for s in analyse(path, text, "Python").symbols})
    assert "TemplateCommand.__init__" not in found
    doc = parse("Python", found["TemplateCommand"].doc or "")
    table = parameters_table(doc.parameters, found["BaseCommand.__init__"].parameters)
    assert "| `stdout` |  | `None` |  |\n| `stderr` |  | `None` |  |" in table.markdown
    assert "`app_or_project` is documented but is not a parameter" in table.warnings
    assert len(table.warnings) == 5
