"""Models built from plain dicts of files, the way the pipeline builds them."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from docsgen.generator.model import RepositoryModel, build_model
from docsgen.snapshot import Snapshot, SnapshotFile


def snapshot_of(files: Mapping[str, str | bytes], name: str = "demo") -> Snapshot:
    entries = []
    for path, content in sorted(files.items()):
        data = content.encode() if isinstance(content, str) else content
        sha = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        entries.append(SnapshotFile(path, len(data), sha, data))
    return Snapshot(name=name, provider="local", commit_sha="c" * 40, files=tuple(entries))


def model_of(files: Mapping[str, str | bytes], name: str = "demo") -> RepositoryModel:
    return build_model(snapshot_of(files, name))
