"""Facts of TypeScript/JavaScript, Go, Rust and Java files, read from masked text."""

from __future__ import annotations

from docsgen.generator.analysis import declarations, facts
from docsgen.generator.analysis.facts.lexer import mask
from docsgen.generator.analysis.file_analysis import EnvRead, FileAnalysis, Route


def ts(text: str) -> FileAnalysis:
    return facts.extract("src/app.ts", text, "TypeScript")


def test_masking_keeps_offsets_and_hides_comments_and_strings() -> None:
    text = 'a("x//y") // c "q"\n/* b\n */ r = /a"b/g; t = `t ${u + "v"} w`\n'
    masked = mask(text, "js")
    assert len(masked.code) == len(text)
    assert masked.code.count("\n") == text.count("\n")
    assert "c" not in masked.code.split("\n")[0][10:]
    assert "/xxx/g" in masked.code
    assert 'u + "x"' in masked.code  # code inside a template literal stays code
    assert masked.line(text.index("r =")) == 3


def test_js_imports_of_every_form_with_the_specifier_line() -> None:
    text = (
        'import def, { a as b, type C } from "./one";\n'
        "import {\n  x,\n  y,\n} from '../two';\n"
        'import "./side-effect";\n'
        'export * from "./three";\n'
        'const four = require("./four");\n'
        'const five = await import("./five");\n'
        '// import z from "./commented";\n'
        "const s = \"import q from './in-string'\";\n"
    )
    found = ts(text).imports
    assert [(i.module, i.line, i.names, i.kind) for i in found] == [
        ("./one", 1, ("def", "a", "C"), "import"),
        ("../two", 5, ("x", "y"), "import"),
        ("./side-effect", 6, (), "import"),
        ("./three", 7, ("*",), "export"),
        ("./four", 8, (), "require"),
        ("./five", 9, (), "dynamic"),
    ]


def test_js_environment_reads_with_defaults() -> None:
    text = (
        "const a = process.env.A || 'a';\n"
        'const b = process.env["B"] ?? 2;\n'
        "const { C = 'c', D: d, ...rest } = process.env;\n"
        "const e = import.meta.env.VITE_E;\n"
        "const f = process.env[key];\n"
        "const g = `${process.env.G}`;\n"
        "// process.env.COMMENTED\n"
    )
    assert ts(text).env_reads == (
        EnvRead("A", 1, "'a'", "process.env"),
        EnvRead("B", 2, "2", "process.env"),
        EnvRead("C", 3, "'c'", "process.env"),
        EnvRead("D", 3, None, "process.env"),
        EnvRead("VITE_E", 4, None, "import.meta.env"),
        EnvRead("key", 5, None, "process.env", True),
        EnvRead("G", 6, None, "process.env"),
    )


def test_express_routes_but_not_settings_or_http_clients() -> None:
    text = (
        "import express from 'express';\n"
        "const app = express();\n"
        "const api = express.Router();\n"
        "app.get('/a', handlers.a);\n"
        "api.delete('/b/:id', auth, async function removeB(req, res) {});\n"
        "app.route('/c').get(getC).post(postC);\n"
        "app.get('env');\n"
        "axios.get('/not-a-route', config);\n"
        "app.use('/mounted', api);\n"
    )
    assert ts(text).routes == (
        Route("GET", "/a", "handlers.a", 4, "Express"),
        Route("DELETE", "/b/:id", "removeB", 5, "Express"),
        Route("GET", "/c", "getC", 6, "Express"),
        Route("POST", "/c", "postC", 6, "Express"),
    )


def test_go_imports_env_routes_and_main() -> None:
    text = (
        "package main\n\n"
        'import (\n\t"fmt"\n\tlog "github.com/x/log"\n\t"net/http"\n)\n\n'
        '// os.Getenv("COMMENTED")\n'
        "func main() {\n"
        '\tport := os.Getenv("PORT")\n'
        '\tname := flag.String("name", "world", "who")\n'
        '\thttp.HandleFunc("POST /items", createItem)\n'
        '\tmux.HandleFunc("/x", h).Methods("GET", "PUT")\n'
        "\tfmt.Println(port, name)\n"
        "}\n"
    )
    found = facts.extract("cmd/x/main.go", text, "Go")
    assert [(i.module, i.line, i.names) for i in found.imports] == [
        ("fmt", 4, ()),
        ("github.com/x/log", 5, ("log",)),
        ("net/http", 6, ()),
    ]
    assert found.env_reads == (
        EnvRead("PORT", 11, None, "os.Getenv"),
        EnvRead("name", 12, '"world"', "flag.String"),
    )
    assert found.routes == (
        Route("POST", "/items", "createItem", 13, "net/http"),
        Route("GET", "/x", "h", 14, "net/http"),
        Route("PUT", "/x", "h", 14, "net/http"),
    )
    assert found.entry_points == (("main", "cmd/x/main.go", 10),)


def test_rust_use_trees_mods_env_and_routes() -> None:
    text = (
        "use actix_web::{get, web, App};\n"
        "use crate::{db::{self, Pool}, config as cfg};\n"
        "mod handlers;\n"
        "/* mod commented; */\n"
        '#[get("/health")]\n'
        'async fn health() -> &\'static str { "ok" }\n'
        "fn main() {\n"
        '    let url = env::var("DATABASE_URL").unwrap_or("sqlite::memory:".into());\n'
        '    let r = Router::new().route("/items", get(list).post(create));\n'
        "}\n"
    )
    found = facts.extract("src/main.rs", text, "Rust")
    assert [(i.module, i.line, i.names, i.kind) for i in found.imports] == [
        ("actix_web", 1, ("get", "web", "App"), "use"),
        ("crate", 2, ("db", "db::Pool", "config"), "use"),
        ("handlers", 3, (), "mod"),
    ]
    assert found.env_reads == (EnvRead("DATABASE_URL", 8, '"sqlite::memory:"', "env::var"),)
    assert found.routes == (
        Route("GET", "/health", "health", 5, "actix-web"),
        Route("GET", "/items", "list", 9, "actix-web"),
        Route("POST", "/items", "create", 9, "actix-web"),
    )
    assert found.entry_points == (("main", "src/main.rs", 7),)


def test_java_imports_config_routes_and_main() -> None:
    text = (
        "package a.b;\n"
        "import a.b.util.Strings;\n"
        "import static java.util.Objects.requireNonNull;\n"
        "import org.springframework.web.bind.annotation.*;\n"
        '@RequestMapping("/api")\n'
        "public class Api {\n"
        '  @Value("${app.name:demo}") String name;\n'
        '  String home = System.getenv().getOrDefault("HOME", "/");\n'
        '  // System.getenv("COMMENTED")\n'
        '  @PostMapping(value = "/items")\n'
        "  public Item create(@RequestBody Item item) { return item; }\n"
        '  @RequestMapping(path = "/any", method = RequestMethod.PUT)\n'
        "  public void any() {}\n"
        "  public static void main(String[] args) {}\n"
        "}\n"
    )
    found = facts.extract("src/a/b/Api.java", text, "Java")
    assert [(i.module, i.line, i.names) for i in found.imports] == [
        ("a.b.util.Strings", 2, ()),
        ("java.util.Objects", 3, ("requireNonNull",)),
        ("org.springframework.web.bind.annotation", 4, ("*",)),
    ]
    assert found.env_reads == (
        EnvRead("app.name", 7, '"demo"', "@Value"),
        EnvRead("HOME", 8, '"/"', "System.getenv"),
    )
    assert found.routes == (
        Route("POST", "/items", "create", 10, "Spring", "/api"),
        Route("PUT", "/any", "any", 12, "Spring", "/api"),
    )
    assert found.entry_points == (("main", "src/a/b/Api.java", 14),)


def test_manifests_declare_entry_points_on_their_lines() -> None:
    pyproject = (
        '[project]\nname = "x"\n\n[project.scripts]\nx = "x.cli:main"\n"x-two" = "x.two:run"\n'
    )
    assert facts.extract("pyproject.toml", pyproject, "TOML").entry_points == (
        ("x", "x.cli:main", 5),
        ("x-two", "x.two:run", 6),
    )
    cfg = "[options.entry_points]\nconsole_scripts =\n    a = m:f\n    b=m:g\n"
    assert facts.extract("setup.cfg", cfg, "INI").entry_points == (
        ("a", "m:f", 3),
        ("b", "m:g", 4),
    )
    package = '{\n  "name": "@s/tool",\n  "bin": "./cli.js"\n}\n'
    assert facts.extract("package.json", package, "JSON").entry_points == (("tool", "./cli.js", 2),)
    cargo = (
        '[package]\nname = "c"\n\n[[bin]]\nname = "one"\n\n[[bin]]\nname = "two"\npath = "t.rs"\n'
    )
    assert facts.extract("Cargo.toml", cargo, "TOML").entry_points == (
        ("one", "src/bin/one.rs", 5),
        ("two", "t.rs", 8),
    )


def test_a_manifest_that_does_not_parse_is_a_warning() -> None:
    found = facts.extract("pyproject.toml", "[project\nname =", "TOML")
    assert found.entry_points == ()
    assert found.warnings[0].startswith("pyproject.toml is not valid TOML: ")


def test_every_language_with_declarations_has_its_facts_read_too() -> None:
    assert set(facts.EXTRACTORS) == set(declarations.ANALYSERS)
