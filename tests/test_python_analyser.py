"""The Python analyser: what a module declares, read with ``ast`` and never run."""

from __future__ import annotations

from docsgen.generator.analysis.declarations.python import analyse
from docsgen.generator.analysis.file_analysis import Parameter, Symbol
from tests.support import projects


def symbols(source: str, path: str = "pkg/mod.py") -> dict[str, Symbol]:
    return {s.qualname: s for s in analyse(path, source, "Python").symbols}


def test_signatures_keep_every_parameter_kind_annotation_and_default() -> None:
    found = symbols(
        "async def f(a, b: int = 1, /, c='x', *args: str, d, e: bool = False, **kw) -> int:\n"
        '    """F."""\n'
    )
    f = found["f"]
    assert f.kind == "function"
    assert f.signature == (
        "async (a, b: int = 1, /, c='x', *args: str, d, e: bool = False, **kw) -> int"
    )
    assert f.parameters == (
        Parameter("a", "positional-only"),
        Parameter("b", "positional-only", "int", "1"),
        Parameter("c", "positional-or-keyword", None, "'x'"),
        Parameter("args", "var-positional", "str"),
        Parameter("d", "keyword-only"),
        Parameter("e", "keyword-only", "bool", "False"),
        Parameter("kw", "var-keyword"),
    )
    assert f.returns == "int"
    assert symbols("def g(*, only): pass")["g"].signature == "(*, only)"


def test_classes_list_methods_properties_and_nested_classes_with_their_docs() -> None:
    found = symbols(
        "class Client(Base, metaclass=Meta):\n"
        '    """Talks to a server.\n\n    More.\n    """\n'
        "    @property\n"
        "    def closed(self) -> bool:\n"
        '        """Whether it is closed."""\n'
        "    @closed.setter\n"
        "    def closed(self, value): ...\n"
        "    @staticmethod\n"
        "    def make(): ...\n"
        "    def _private(self): ...\n"
        "    def __enter__(self): ...\n"
        "    class Error(Exception):\n"
        "        def code(self): ...\n"
        "    class _Hidden:\n"
        "        def visible_only_if_parent_is(self): ...\n"
    )
    assert list(found) == [
        "Client",
        "Client.closed",
        "Client.make",
        "Client.__enter__",
        "Client.Error",
        "Client.Error.code",
    ]
    client = found["Client"]
    assert (client.kind, client.signature, client.doc) == (
        "class",
        "(Base, metaclass=Meta)",
        "Talks to a server.\n\nMore.",
    )
    assert found["Client.closed"].kind == "property"
    assert found["Client.closed"].returns == "bool"
    assert found["Client.closed"].doc == "Whether it is closed."
    assert found["Client.make"].decorators == ("staticmethod",)
    assert found["Client.Error.code"].parent == "Client.Error"


def test_dataclass_and_attrs_fields_are_fields_and_other_class_attributes_are_not() -> None:
    found = symbols(
        "@dataclass(frozen=True)\nclass P:\n    x: int\n    y: int = 0\n"
        "@attrs.define\nclass Q:\n    z: str = 'a'\n"
        "class R:\n    w: int = 1\n    v = 2\n"
    )
    assert [(q, found[q].kind) for q in ("P.x", "P.y", "Q.z", "R.w", "R.v")] == [
        ("P.x", "field"),
        ("P.y", "field"),
        ("Q.z", "field"),
        ("R.w", "attribute"),
        ("R.v", "attribute"),
    ]
    assert found["P.y"].signature == ": int = 0"


def test_module_constants_carry_their_value_and_attribute_docstring() -> None:
    found = symbols('MAX_SIZE = 1024\n"""The largest size."""\nlogger = get_logger()\n')
    assert found["MAX_SIZE"].kind == "constant"
    assert found["MAX_SIZE"].signature == " = 1024"
    assert found["MAX_SIZE"].doc == "The largest size."
    assert found["logger"].kind == "attribute"


def test_all_decides_what_is_public_and_lists_re_exports() -> None:
    result = analyse(
        "pkg/__init__.py",
        "from .client import Client as Client2, helper\n"
        "from . import sub\n"
        "__all__ = ['Client2', '_exported']\n"
        "__all__ += ['Extra']\n"
        "__all__.extend(['sub'])\n"
        "def _exported(): ...\n"
        "def not_listed(): ...\n"
        "class Extra: ...\n",
        "Python",
    )
    assert result.exports == ("Client2", "_exported", "Extra", "sub")
    found = {s.qualname: s for s in result.symbols if s.public}
    assert set(found) == {"_exported", "Extra", "Client2", "sub"}
    # Left out of __all__, kept for a module that re-exports it, but not public here.
    assert [s.name for s in result.symbols if not s.public] == ["not_listed"]
    assert found["Client2"].kind == "reexport"
    assert found["Client2"].target == ".client.Client"
    assert found["sub"].target == ".sub"
    assert result.warnings == ()


def test_later_definitions_win_and_conditional_blocks_are_read() -> None:
    found = symbols(
        "try:\n    from fast import speedup\nexcept ImportError:\n"
        "    def speedup(data): ...\n"
        "if sys.version_info >= (3, 12):\n    def compat(a): ...\nelse:\n"
        "    def compat(a, b=None): ...\n"
    )
    assert found["speedup"].signature == "(data)"
    assert found["compat"].signature == "(a, b=None)"


def test_dynamic_exports_and_computed_all_are_warned_about() -> None:
    result = analyse(
        "pkg/dyn.py",
        "from .core import *\n__all__ = core.__all__ + ['x']\ndef __getattr__(name): ...\nx = 1\n",
        "Python",
    )
    assert result.star_imports == ((".core", 1),)
    assert result.warnings == (
        "`__all__` is partly computed (line 2): only its literal names are known.",
        "Module-level `__getattr__` (line 3): the module may provide names dynamically that "
        "are not listed.",
    )


def test_names_only_a_module_getattr_provides_are_said_once_with_it() -> None:
    # attrs: ``__getattr__`` made by a call, ``__all__`` listing what it provides and
    # ``__doc__``, which every module has.
    text = (
        "from attr import define\n"
        "__all__ = ['__doc__', '__version__', '__author__', 'define']\n"
        "__getattr__ = _make_getattr(__name__)\n"
    )
    result = analyse("src/attrs/__init__.py", text, "Python")
    assert result.warnings == (
        "Module-level `__getattr__` (line 3): the module may provide names dynamically that "
        "are not listed; `__all__` lists 2 name(s) only it can provide: `__version__`, "
        "`__author__`.",
    )
    names = [f"n{i}" for i in range(10)]
    alone = analyse("m.py", f"__all__ = {names!r}\n", "Python")
    assert alone.warnings == (
        "`__all__` lists 10 name(s) this file neither defines nor imports: "
        + ", ".join(f"`{n}`" for n in names[:8])
        + " and 2 more.",
    )


def test_a_class_passed_through_calls_later_stays_the_class() -> None:
    # attrs: ``Factory = _add_hash(_add_eq(Factory, attrs=_f), attrs=_f)``.
    text = (
        'class Factory:\n    """Stores a factory."""\n'
        "Factory = _add_hash(_add_eq(Factory, attrs=_f), attrs=_f)\n"
        "def helper(): ...\n"
        "helper = wraps(other)(helper_impl)\n"  # not passed itself: a new value
    )
    found = {s.name: s for s in analyse("m.py", text, "Python").symbols}
    assert (found["Factory"].kind, found["Factory"].line, found["Factory"].doc) == (
        "class",
        1,
        "Stores a factory.",
    )
    assert (found["helper"].kind, found["helper"].line) == ("attribute", 5)


def test_module_names_and_docs() -> None:
    result = analyse("src/pkg/sub/__init__.py", '# header\n"""Package doc."""\n', "Python")
    assert (result.module, result.doc, result.doc_line) == ("pkg.sub", "Package doc.", 2)


def test_a_file_that_does_not_parse_yields_the_parser_error() -> None:
    result = analyse("bad.py", "def f(:\n", "Python")
    assert result.symbols == ()
    assert result.parse_error == "SyntaxError: invalid syntax (line 1, column 7)"
    deep = analyse("deep.py", "x = (" + "+\n".join(["1"] * 10_000) + ")\n", "Python")
    assert deep.parse_error == "RecursionError: the code is nested too deeply to parse"


def test_all_built_from_other_modules_all_is_recorded_as_included() -> None:
    result = analyse(
        "pkg/__init__.py",
        "from pkg import fields\n"
        "from pkg.aggregates import *\n"
        "from pkg.aggregates import __all__ as aggregates_all\n"
        "__all__ = aggregates_all + ['Model']\n"
        "__all__ += fields.__all__\n"
        "class Model: ...\n",
        "Python",
    )
    assert result.exports == ("Model",)
    assert result.exports_included == (("pkg.aggregates", 4), ("pkg.fields", 5))
    assert result.star_imports == (("pkg.aggregates", 2),)
    assert result.warnings == ()
    assert [s.name for s in result.symbols] == ["Model"]


def test_imports_under_their_own_name_are_explicit_re_exports_without_all() -> None:
    result = analyse(
        "flask/__init__.py",
        "from . import json as json\n"
        "from .app import Flask as Flask\n"
        "from .globals import request\n"
        "from .helpers import _private as _private\n"
        "import os.path as path\n",
        "Python",
    )
    found = {s.name: s for s in result.symbols}
    # In a package's __init__, a name imported from the package itself is what users
    # import from the package (``requests.get``); an outside module's is not.
    assert sorted(found) == ["Flask", "json", "path", "request"]
    assert found["Flask"].kind == "reexport"
    assert found["Flask"].target == ".app.Flask"
    assert found["json"].target == ".json"
    assert found["path"].target == "os.path"
    plain_module = analyse("flask/app.py", "from .globals import request\n", "Python")
    assert plain_module.symbols == ()


def test_all_decides_over_explicit_re_exports() -> None:
    result = analyse(
        "pkg/__init__.py",
        "from .app import Flask as Flask\nfrom .app import Other as Other\n__all__ = ['Flask']\n",
        "Python",
    )
    assert [(s.kind, s.name) for s in result.symbols] == [("reexport", "Flask")]


def test_re_exports_on_one_line_keep_the_order_they_are_written_in() -> None:
    # Their order decides the API Reference's: it must not follow a set's (hash) order,
    # which differs between processes.
    names = ["Zeta", "Alpha", "Mid", "Beta", "Omega", "Kappa"]
    result = analyse(
        "pkg/__init__.py", f"from .core import {', '.join(names)}\nfrom .b import Aa\n", "Python"
    )
    assert [s.name for s in result.symbols] == [*names, "Aa"]


def test_the_names_a_module_getattr_provides_are_said() -> None:
    # itsdangerous's and Django's ``__getattr__`` provide one deprecated name each, then
    # raise AttributeError: that name is said.  The hook itself stays an entry, as
    # griffe and mkdocstrings list it.
    path = "src/itsdangerous/__init__.py"
    text = (projects.checkout("itsdangerous") / path).read_text(encoding="utf-8")
    result = analyse(path, text, "Python")
    assert result.warnings == (
        "Module-level `__getattr__` (line 24) provides `__version__` on request; not listed here.",
    )
    assert "__getattr__" in {s.name for s in result.symbols if s.public}
    path = "django/db/models/enums.py"
    text = (projects.checkout("django") / path).read_text(encoding="utf-8")
    assert analyse(path, text, "Python").warnings == (
        "Module-level `__getattr__` (line 115) provides `ChoicesMeta` on request; not listed here.",
    )
