"""A small repository in Python, TypeScript, Go, Rust and Java with manifests.

Each file holds facts the sections must find (imports between the project's
own modules, environment reads with defaults, routes in several frameworks,
entry points, dependencies, commands) next to decoys they must not report
(the same patterns inside comments and strings).
"""

from __future__ import annotations

POLYGLOT_FILES: dict[str, str | bytes] = {
    "README.md": """# Polyglot

Polyglot is a service written in five languages to exercise the generator.

## Installation

```bash
pip install -e .
npm install
```

## Usage

Start the server:

```sh
polyglot serve --port 8080
```

## Contributing

```python
print("not a shell command")
```

## Running the tests

```console
$ make test
```
""",
    "pyproject.toml": """[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "polyglot"
version = "0.1.0"
dependencies = [
    "aiohttp>=3.9",
    "fastapi[standard]>=0.110; python_version >= '3.11'",
    'flask',
]

[project.optional-dependencies]
test = ["pytest>=8"]

[dependency-groups]
lint = ["ruff>=0.5"]

[project.scripts]
polyglot = "app.cli:main"
"poly-admin" = "app.admin:run"

[tool.pytest.ini_options]
testpaths = ["tests"]
""",
    "requirements-dev.txt": "# tools\npytest>=8  # the runner\n-r requirements.txt\nmypy==1.10\n",
    "requirements.txt": "aiohttp>=3.9\n",
    "setup.cfg": """[metadata]
name = polyglot

[options]
install_requires =
    click>=8
    rich

[options.entry_points]
console_scripts =
    poly-legacy = app.legacy:main
""",
    "Makefile": """.PHONY: test build

build: ## Build everything
\tgo build ./...

test: build
\tpytest -q
\tnpm test

%.o: %.c
\tcc -c $<
VAR := value
""",
    "Dockerfile": """FROM python:3.12-slim AS base
WORKDIR /srv
COPY . .
RUN pip install .
EXPOSE 8080 9090/udp
ENTRYPOINT ["polyglot"]
CMD ["serve", "--port", "8080"]
""",
    "app/__init__.py": '"""The Python side."""\n',
    "app/cli.py": """\"\"\"Command line.\"\"\"
import os
import sys
from os import getenv as env_get

from app import server
from .settings import load

LOG_LEVEL = os.environ.get("LOG_LEVEL", "info")
TOKEN = os.environ["API_TOKEN"]
# os.getenv("COMMENTED_OUT")
TEXT = "os.getenv('IN_A_STRING')"
PORT = int(env_get("PORT", 8080))
HOME = os.getenv("HOME") or "/root"
DEBUG = "DEBUG" in os.environ
DYN = os.getenv(sys.argv[0], DEFAULT_NAME)


def main() -> None:
    server.run(load())


if __name__ == "__main__":
    main()
""",
    "app/settings.py": """import os


def load() -> dict[str, str]:
    return {"db": os.getenv("DATABASE_URL", default="sqlite://")}
""",
    "app/server.py": """from aiohttp import web
from fastapi import APIRouter, FastAPI
from flask import Flask

from app.settings import load

routes = web.RouteTableDef()
api = FastAPI()
router = APIRouter(prefix="/v1")
flask_app = Flask(__name__)


@routes.get("/health")
async def health(request):
    return web.Response(text="ok")


@api.post("/items/{item_id}")
async def create_item(item_id: int):
    return {}


@router.get("/users")
async def users():
    return []


@flask_app.route("/legacy", methods=["GET", "POST"])
def legacy():
    return "old"


class Views:
    @routes.view("/things")
    class Things(web.View):
        pass


def run(settings) -> None:
    app = web.Application()
    app.router.add_get("/status", health)
    app.add_routes([web.post("/submit", health)])
    client_get = requests.get("/not-a-route", params={})
""",
    "app/urls.py": """from django.urls import include, path, re_path

from app import views

urlpatterns = [
    path("articles/<int:year>/", views.year_archive, name="year"),
    re_path(r"^about/$", views.about),
    path("blog/", include("blog.urls")),
]
""",
    "app/views.py": (
        "def year_archive(request, year):\n    return None\n\n\n"
        "def about(request):\n    return None\n"
    ),
    "app/broken.py": "def broken(:\n    pass\n",
    "package.json": """{
  "name": "@poly/web",
  "version": "1.0.0",
  "bin": {
    "poly-web": "./dist/cli.js"
  },
  "scripts": {
    "build": "tsc -p .",
    "test": "vitest run",
    "start": "node dist/server.js"
  },
  "dependencies": {
    "express": "^4.19.0"
  },
  "devDependencies": {
    "typescript": "~5.4.0",
    "vitest": "^1.6.0"
  }
}
""",
    "web/server.ts": """import express from "express";
import { loadConfig, type Config } from "./config";
import * as util from "./util/index";
// import { nothing } from "./commented";
const decoy = "import x from './in-a-string'";

const app = express();
const router = express.Router();
const port = process.env.PORT || 3000;
const host = process.env["HOST"] ?? "0.0.0.0";

app.get("/api/health", (req, res) => res.send("ok"));
router.post("/api/items", util.authenticate, createItem);
app.route("/api/books").get(listBooks).put(updateBook);
const settingValue = app.get("env");

function createItem(req: unknown, res: unknown) {}
function listBooks() {}
function updateBook() {}

app.listen(port, () => console.log(`listening on ${process.env.PUBLIC_URL}`));
""",
    "web/config.ts": """export interface Config { url: string }

export function loadConfig(): Config {
  const { API_URL = "http://localhost", TIMEOUT } = process.env;
  return { url: API_URL };
}
""",
    "web/util/index.ts": """const helper = require("../config");

export function authenticate() {}
""",
    "go.mod": """module example.com/poly

go 1.22

require (
\tgithub.com/go-chi/chi/v5 v5.0.12
\tgolang.org/x/sync v0.7.0 // indirect
)

require github.com/google/uuid v1.6.0
""",
    "cmd/poly/main.go": """package main

import (
\t"fmt"
\t"net/http"
\t"os"

\t"example.com/poly/internal/store"
)

// os.Getenv("IN_COMMENT")
func main() {
\taddr := os.Getenv("LISTEN_ADDR")
\thttp.HandleFunc("GET /items/{id}", store.GetItem)
\tfmt.Println(addr, "os.Getenv(\\"IN_STRING\\")")
}
""",
    "internal/store/store.go": """// Package store keeps items.
package store

import "net/http"

// GetItem answers one item.
func GetItem(w http.ResponseWriter, r *http.Request) {}
""",
    "Cargo.toml": """[package]
name = "poly"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = { version = "1.0", features = ["derive"] }
tokio = "1"

[dependencies.axum]
version = "0.7"

[dev-dependencies]
proptest = "1.4"

[[bin]]
name = "poly-cli"
path = "src/main.rs"
""",
    "src/main.rs": """use poly::config::Settings;
mod cli;

/// The binary.
fn main() {
    let port = std::env::var("RUST_PORT").unwrap_or_else(|_| "7878".to_string());
    // let x = env::var("IN_COMMENT");
    let s = "env::var(\\"IN_STRING\\")";
    cli::run(port, s);
}
""",
    "src/lib.rs": "pub mod config;\n",
    "src/config.rs": "/// Settings of the crate.\npub struct Settings;\n",
    "src/cli.rs": "use crate::config::Settings;\n\npub fn run(_p: String, _s: &str) {}\n",
    "java/src/main/java/com/poly/App.java": """package com.poly;

import com.poly.util.Strings;
import org.springframework.web.bind.annotation.*;
import static java.util.Objects.requireNonNull;

/** The application. */
@RestController
@RequestMapping("/java")
public class App {
    @Value("${server.port:8080}")
    private int port;

    // System.getenv("IN_COMMENT")
    private final String home = System.getenv("JAVA_HOME");

    @GetMapping("/hello")
    public String hello() {
        return Strings.upper("hello");
    }

    public static void main(String[] args) {
        System.out.println(System.getProperty("user.dir", "."));
    }
}
""",
    "java/src/main/java/com/poly/util/Strings.java": """package com.poly.util;

/** String helpers. */
public final class Strings {
    public static String upper(String s) { return s.toUpperCase(); }
}
""",
    "pom.xml": """<project>
  <dependencies>
    <!-- <dependency><artifactId>commented-out</artifactId></dependency> -->
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
      <version>3.2.0</version>
    </dependency>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
""",
    "node_modules/express/index.js": "module.exports = require('./lib/express');\n",
}
