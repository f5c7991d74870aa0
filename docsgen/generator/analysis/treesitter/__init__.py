"""Analysers built on tree-sitter grammars: TypeScript/JavaScript, Go, Rust, Java."""
