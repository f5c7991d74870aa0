"""Python's static call graph: calls resolved from what a module binds, never guessed."""

from __future__ import annotations

import ast
import textwrap

from docsgen.generator.analysis.calls_python import Call, CallGraph, python_call_graph


def graph(source: str, module: str = "pkg.mod", package: bool = False) -> CallGraph:
    return python_call_graph(ast.parse(textwrap.dedent(source)), module, package=package)


def edges(found: CallGraph) -> set[tuple[str, str]]:
    return {(c.caller, c.callee) for c in found.calls}


def test_calls_resolve_through_imports_and_definitions() -> None:
    found = graph(
        """
        import os.path
        import json as j
        from .helpers import clean as tidy
        from ..core import engine

        def run(x):
            tidy(x)
            os.path.join(x, "a")
            j.dumps(x)
            engine.start()
            later()

        def later():
            pass
        """,
        module="pkg.sub.mod",
    )
    assert edges(found) == {
        ("pkg.sub.mod.run", "pkg.sub.helpers.clean"),
        ("pkg.sub.mod.run", "os.path.join"),
        ("pkg.sub.mod.run", "json.dumps"),
        ("pkg.sub.mod.run", "pkg.core.engine.start"),
        ("pkg.sub.mod.run", "pkg.sub.mod.later"),
    }
    tidy = next(c for c in found.calls if c.callee == "pkg.sub.helpers.clean")
    assert tidy == Call("pkg.sub.mod.run", "pkg.sub.helpers.clean", 8)


def test_relative_imports_of_a_package_resolve_inside_it() -> None:
    found = graph("from . import sub\nfrom .sub import f\n", module="pkg", package=True)
    assert dict(found.imports) == {"sub": "pkg.sub", "f": "pkg.sub.f"}


def test_methods_calls_on_self_cls_and_super_resolve_to_the_class() -> None:
    found = graph(
        """
        from .base import Base

        class Thing(Base[int]):
            def go(self):
                self.step()
                super().go()
                self.other.step()

            @classmethod
            def make(cls):
                return cls.build()

            @staticmethod
            def helper(self):
                self.step()
        """
    )
    assert edges(found) == {
        ("pkg.mod.Thing.go", "pkg.mod.Thing.step"),
        ("pkg.mod.Thing.go", "pkg.base.Base.go"),
        ("pkg.mod.Thing.make", "pkg.mod.Thing.build"),
    }
    [thing] = [d for d in found.definitions if d.kind == "class"]
    assert thing.bases == ("pkg.base.Base",)


def test_names_a_function_binds_hide_the_modules() -> None:
    found = graph(
        """
        from x import request, item, value

        def handle(request):
            request()
            item = make()
            item()
            [value() for value in ()]
            (lambda item: item())(1)

        def make():
            pass
        """
    )
    assert edges(found) == {("pkg.mod.handle", "pkg.mod.make")}


def test_a_function_local_import_binds_for_that_function() -> None:
    found = graph(
        """
        def load():
            from .codec import decode
            decode()
        """
    )
    assert edges(found) == {("pkg.mod.load", "pkg.codec.decode")}


def test_calls_in_a_nested_function_are_its_own() -> None:
    found = graph(
        """
        from y import wrapped

        def decorator(f):
            def inner(*args):
                return wrapped(f)
            return inner
        """
    )
    assert edges(found) == {("pkg.mod.decorator.<locals>.inner", "y.wrapped")}
    assert [d.name for d in found.definitions] == ["pkg.mod.decorator"]


def test_definitions_carry_return_annotations_and_lines() -> None:
    found = graph(
        """
        class A:
            async def fetch(self) -> bytes:
                ...

        def build() -> "A":
            return A()
        """
    )
    assert [(d.name, d.kind, d.line, d.returns) for d in found.definitions] == [
        ("pkg.mod.A", "class", 2, None),
        ("pkg.mod.A.fetch", "method", 3, "bytes"),
        ("pkg.mod.build", "function", 6, "'A'"),
    ]
    assert edges(found) == {("pkg.mod.build", "pkg.mod.A")}


def test_a_name_rebound_at_module_level_is_no_longer_the_import() -> None:
    found = graph(
        """
        from z import tool
        tool = wrap(tool)

        def use():
            tool()
        """
    )
    assert edges(found) == set()
    assert "tool" not in dict(found.imports)


def test_statements_in_handlers_and_conditions_are_read() -> None:
    found = graph(
        """
        from m import a, b

        def f():
            try:
                a()
            except ValueError:
                b()
        """
    )
    assert edges(found) == {("pkg.mod.f", "m.a"), ("pkg.mod.f", "m.b")}
