"""Which language a file is written in, by its name.  Pure data."""

from __future__ import annotations

_BY_EXTENSION: dict[str, str] = {
    ".py": "Python", ".pyi": "Python",
    ".ts": "TypeScript", ".tsx": "TypeScript", ".mts": "TypeScript", ".cts": "TypeScript",
    ".js": "JavaScript", ".jsx": "JavaScript", ".mjs": "JavaScript", ".cjs": "JavaScript",
    ".go": "Go", ".rs": "Rust", ".java": "Java",
    ".c": "C", ".h": "C", ".cc": "C++", ".cpp": "C++", ".cxx": "C++", ".hpp": "C++", ".hh": "C++",
    ".cs": "C#", ".rb": "Ruby", ".php": "PHP", ".kt": "Kotlin", ".kts": "Kotlin",
    ".swift": "Swift", ".scala": "Scala", ".m": "Objective-C", ".sh": "Shell", ".bash": "Shell",
    ".zsh": "Shell", ".ps1": "PowerShell", ".lua": "Lua", ".pl": "Perl", ".r": "R",
    ".dart": "Dart", ".ex": "Elixir", ".exs": "Elixir", ".erl": "Erlang", ".hs": "Haskell",
    ".clj": "Clojure", ".sql": "SQL", ".html": "HTML", ".htm": "HTML", ".css": "CSS",
    ".scss": "SCSS", ".less": "Less", ".vue": "Vue", ".svelte": "Svelte",
    ".md": "Markdown", ".rst": "reStructuredText", ".txt": "Text",
    ".json": "JSON", ".yaml": "YAML", ".yml": "YAML", ".toml": "TOML", ".ini": "INI",
    ".cfg": "INI", ".xml": "XML", ".proto": "Protocol Buffers", ".graphql": "GraphQL",
}  # fmt: skip

_BY_NAME: dict[str, str] = {
    "Makefile": "Makefile", "GNUmakefile": "Makefile", "Dockerfile": "Dockerfile",
    "CMakeLists.txt": "CMake", "Rakefile": "Ruby", "Gemfile": "Ruby",
}  # fmt: skip

# Prose and data: counted, but not "code that was not analysed".
NOT_CODE = frozenset({"Markdown", "reStructuredText", "Text", "JSON", "YAML", "TOML", "INI", "XML"})
# Code that has no API to document (markup, styles, queries, build and shell scripts): not
# "a language without an analyser" when the API Reference says what it left out.
NOT_API = NOT_CODE | frozenset(
    {"HTML", "CSS", "SCSS", "Less", "SQL", "Makefile", "Dockerfile", "CMake", "Shell",
     "PowerShell", "Protocol Buffers", "GraphQL"}
)  # fmt: skip


def language_of(path: str) -> str | None:
    # Plain string work: this runs for every file of every run (PurePosixPath is slow).
    name = path.rsplit("/", 1)[-1]
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name.startswith("Dockerfile"):
        return "Dockerfile"
    dot = name.rfind(".")
    return _BY_EXTENSION.get(name[dot:].lower()) if dot > 0 else None
