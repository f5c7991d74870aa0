"""Reading manifests (pyproject.toml, package.json, go.mod, Cargo.toml, ...) with lines."""
