"""Facts of Python files: imports, environment reads, routes, entry points, with lines."""

from __future__ import annotations

from docsgen.generator.analysis import facts
from docsgen.generator.analysis.file_analysis import EnvRead, FileAnalysis, Import, Route


def py(text: str, path: str = "pkg/mod.py") -> FileAnalysis:
    return facts.extract(path, text, "Python")


def test_imports_keep_their_module_names_level_and_line() -> None:
    found = py(
        "import os, json as j\nfrom .sub import a, b\nfrom .. import up\n"
        "from x.y import (\n  z,\n)\n"
    )
    assert found.imports == (
        Import("json", 1, kind="import"),
        Import("os", 1, kind="import"),
        Import("sub", 2, ("a", "b"), 1, kind="from"),
        Import("", 3, ("up",), 2, kind="from"),
        Import("x.y", 4, ("z",), kind="from"),
    )


def test_environment_reads_with_literal_defaults() -> None:
    text = (
        "import os\n"
        'A = os.environ["A"]\n'
        'B = os.environ.get("B", "b")\n'
        'C = os.getenv("C", default=3)\n'
        'D = os.getenv("D") or "d"\n'
        'E = "E" in os.environ\n'
        'F = os.environ.setdefault("F", "-1")\n'
        "G = os.getenv('G', -1)\n"
    )
    assert py(text).env_reads == (
        EnvRead("A", 2, None, "os.environ[...]"),
        EnvRead("B", 3, '"b"', "os.environ.get"),
        EnvRead("C", 4, "3", "os.getenv"),
        EnvRead("D", 5, '"d"', "os.getenv"),
        EnvRead("E", 6, None, "in os.environ"),
        EnvRead("F", 7, '"-1"', "os.environ.setdefault"),
        EnvRead("G", 8, "-1", "os.getenv"),
    )


def test_environment_reads_through_aliases_and_computed_names() -> None:
    text = (
        "import os as o\n"
        "from os import environ as env, getenv as ge\n"
        'a = o.getenv("A", DEFAULT)\n'
        'b = env["B"]\n'
        'c = ge("C")\n'
        "d = o.environ[prefix + '_URL']\n"
    )
    reads = py(text).env_reads
    assert [(r.name, r.line, r.default, r.dynamic, r.default_literal) for r in reads] == [
        ("A", 3, "DEFAULT", False, False),
        ("B", 4, None, False, True),
        ("C", 5, None, False, True),
        ("prefix + '_URL'", 6, None, True, True),
    ]


def test_writes_and_lookalikes_are_not_reads() -> None:
    text = (
        "import os\n"
        'os.environ["SET"] = "1"\n'
        'config.get("NOT_ENV", 1)\n'
        "# os.getenv('COMMENT')\n"
        "s = \"os.getenv('STRING')\"\n"
    )
    assert py(text).env_reads == ()


def test_routes_of_aiohttp_fastapi_flask_starlette_and_django() -> None:
    text = (
        "from aiohttp import web\n"
        "from fastapi import APIRouter\n"
        "from flask import Blueprint\n"
        "from starlette.routing import Route\n"
        "routes = web.RouteTableDef()\n"
        'router = APIRouter(prefix="/api")\n'
        'bp = Blueprint("b", __name__, url_prefix="/bp")\n'
        '@routes.post("/a")\n'
        "async def a(request): ...\n"
        '@router.api_route("/b", methods=["PUT", "get"])\n'
        "async def b(): ...\n"
        '@bp.route("/c")\n'
        "def c(): ...\n"
        '@routes.route("PATCH", "/d")\n'
        "async def d(request): ...\n"
        'app.router.add_route("DELETE", "/e", handler)\n'
        'r = Route("/f", endpoint=f, methods=["POST"])\n'
        'flask_app.add_url_rule("/g", view_func=g)\n'
        'resp = session.get("/not/a/route", params=p)\n'
    )
    routes = py(text).routes
    assert routes == (
        Route("POST", "/a", "a", 8, "aiohttp"),
        Route("GET", "/b", "b", 10, "FastAPI", "/api"),
        Route("PUT", "/b", "b", 10, "FastAPI", "/api"),
        Route("GET", "/c", "c", 12, "Flask", "/bp"),
        Route("PATCH", "/d", "d", 14, "aiohttp"),
        Route("DELETE", "/e", "handler", 16, "aiohttp"),
        Route("POST", "/f", "f", 17, "Starlette"),
        Route("GET", "/g", "g", 18, "Flask"),
    )


def test_django_urlconf_routes_need_django_imports() -> None:
    urls = (
        "from django.urls import path, re_path, include\n"
        "urlpatterns = [\n"
        '    path("posts/<int:pk>/", views.detail, name="detail"),\n'
        '    re_path(r"^old/$", views.OldView.as_view()),\n'
        '    path("api/", include("api.urls")),\n'
        "]\n"
    )
    assert [(r.method, r.path, r.handler, r.line) for r in py(urls).routes] == [
        ("ANY", "posts/<int:pk>/", "views.detail", 3),
        ("ANY", "^old/$", "views.OldView.as_view()", 4),
        ("ANY", "api/", 'include("api.urls")', 5),
    ]
    assert py('import os\nx = os.path.join("a/", "b")\npath("x/", y)\n').routes == ()


def test_methods_of_classes_get_qualified_handlers() -> None:
    text = (
        "from fastapi import FastAPI\n"
        "app = FastAPI()\n"
        "class Api:\n"
        '    @app.get("/x")\n'
        "    def x(self): ...\n"
    )
    assert py(text).routes == (Route("GET", "/x", "Api.x", 4, "FastAPI"),)


def test_main_guard_and_setup_py_console_scripts_are_entry_points() -> None:
    assert py('def main(): ...\n\nif __name__ == "__main__":\n    main()\n').entry_points == (
        ("__main__", "pkg/mod.py", 3),
    )
    setup = (
        "from setuptools import setup\n"
        "setup(\n"
        '    name="x",\n'
        '    entry_points={"console_scripts": [\n'
        '        "tool = x.cli:main",\n'
        "    ]},\n"
        ")\n"
    )
    assert py(setup, "setup.py").entry_points == (("tool", "x.cli:main", 5),)


def test_a_syntax_error_is_a_warning_with_the_parsers_message() -> None:
    found = py("def broken(:\n    pass\n")
    assert found.imports == () and found.env_reads == ()
    assert found.warnings == (
        "Imports, environment reads and routes not read: syntax error at line 1: invalid syntax.",
    )


def test_null_bytes_and_deep_nesting_are_warnings_not_crashes() -> None:
    assert py("x = 1\0\n").warnings[0].startswith("Imports, environment reads and routes not read")
    deep = "x = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n"
    assert "not read" in py(deep).warnings[0]
    nested_ifs = "".join(" " * i + "if x:\n" for i in range(200)) + " " * 200 + "pass\n"
    assert "not read" in py(nested_ifs).warnings[0]


def test_a_tree_parsed_by_the_caller_is_reused() -> None:
    import ast

    text = 'import os\nX = os.getenv("X")\n'
    assert facts.extract("a.py", text, "Python", ast.parse(text)) == py(text, "a.py")


def test_analysis_round_trips_through_json() -> None:
    text = (
        "import os\nfrom . import b\n"
        "K = os.getenv(k, D)\n"
        "from fastapi import APIRouter\n"
        'r = APIRouter(prefix="/p")\n'
        '@r.get("/x")\ndef x(): ...\n'
        'if __name__ == "__main__":\n    pass\n'
    )
    found = py(text)
    assert found.imports and found.env_reads and found.routes and found.entry_points
    assert FileAnalysis.from_json(found.to_json()) == found


SINGLE_FACT_FILES = [
    ('import os as o\nX = o.environ["X"]\n', "env"),
    ('from os import getenv as g\nX = g("X")\n', "env"),
    ('from os import environ as e\nX = "X" in e\n', "env"),
    ('app.router.add_get("/x", h)\n', "route"),
    ('from aiohttp import web as w\nr = [w.get("/x", h)]\n', "route"),
    ('from django.urls import path\nurlpatterns = [path("x/", v)]\n', "route"),
    ('from starlette.routing import Route\nr = Route("/x", h)\n', "route"),
    ('bp.add_url_rule("/x", view_func=v)\n', "route"),
    ('@app.get("/x")\ndef x(): ...\n', "route"),
]


def test_each_kind_of_fact_is_found_alone_in_its_file() -> None:
    for text, kind in SINGLE_FACT_FILES:
        found = py(text)
        assert found.env_reads if kind == "env" else found.routes, text


def test_imports_under_type_checking_are_marked() -> None:
    text = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from a import B\n"
        "    import c\n"
        "import d\n"
    )
    assert [(i.module, i.kind) for i in py(text).imports] == [
        ("typing", "from"),
        ("a", "typing"),
        ("c", "typing"),
        ("d", "import"),
    ]


def test_reads_in_decorators_defaults_and_multiline_calls_are_found() -> None:
    text = (
        "import os\n"
        "@retry(times=os.getenv('TIMES', '3'))\n"
        "def f(x=os.environ.get('X_DEFAULT')):\n"
        "    return [os.getenv(k) for k in KEYS]\n"
        "Y = os.getenv(\n"
        "    'Y',\n"
        "    'y',\n"
        ")\n"
    )
    assert [(r.name, r.line, r.default) for r in py(text).env_reads] == [
        ("TIMES", 2, "'3'"),
        ("X_DEFAULT", 3, None),
        ("k", 4, None),
        ("Y", 6, "'y'"),
    ]
