"""Reading a repository tarball safely, in memory, as it streams in.

Nothing is ever written to disk: members are read from a streaming ``tarfile``
(``r|``) over our own gzip decoder, which counts what it inflates so a gzip
bomb stops at ``max_uncompressed_bytes``.  Only regular files become snapshot
files; absolute paths, ``..`` components, hard links and devices are ignored
(and reported as notes), symbolic links are skipped as the local source skips
them.  Limits on file count and total size fail the run with a message naming
the limit; a file over the per-file limit is listed but not read.
"""

from __future__ import annotations

import hashlib
import tarfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from docsgen.errors import GitHubApiFailed, RepositoryTooLarge
from docsgen.generator.markdown import code
from docsgen.github.client import RawReader
from docsgen.snapshot import SnapshotFile, human_size, looks_binary
from docsgen.sources.base import SourceLimits

_READ_CHUNK = 64 * 1024
_NAMES_SHOWN = 5


@dataclass(frozen=True)
class TarballLimits:
    files: SourceLimits
    max_uncompressed_bytes: int


@dataclass
class TarballContents:
    files: list[SnapshotFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def uncompressed_too_large(limit: int) -> str:
    return (
        "Repository is too large: its tarball unpacks to more than the limit of "
        f"{human_size(limit)}"
    )


def files_too_many(limit: int) -> str:
    return f"Repository is too large: more than {limit} files, over the limit of {limit} files"


def bytes_too_many(limit: int) -> str:
    return (
        f"Repository is too large: more than {human_size(limit)} of files, over the limit of "
        f"{human_size(limit)}"
    )


class GzipReader:
    """Inflates a gzip stream (all its members) on demand, never more than asked for."""

    def __init__(self, raw: RawReader, max_uncompressed_bytes: int) -> None:
        self._raw = raw
        self._limit = max_uncompressed_bytes
        self._inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        self._pending = b""  # compressed input not yet inflated
        self._started = False  # the current gzip member has consumed input
        self._eof = False
        self.inflated = 0

    def read(self, n: int = -1, /) -> bytes:
        if n is None or n < 0:
            raise ValueError("GzipReader reads bounded amounts only")
        out: list[bytes] = []
        wanted = n
        while wanted > 0 and not self._eof:
            if not self._pending:
                self._pending = self._raw.read(_READ_CHUNK)
                if not self._pending:
                    if self._started and not self._inflater.eof:
                        raise GitHubApiFailed("The repository tarball from GitHub was cut short")
                    self._eof = True
                    break
            try:
                data = self._inflater.decompress(self._pending, wanted)
            except zlib.error as exc:
                raise GitHubApiFailed(
                    f"The repository tarball from GitHub is not valid gzip: {exc}"
                ) from None
            self._started = True
            if self._inflater.eof:
                # A gzip member ended; another may follow (concatenated members are valid).
                self._pending = self._inflater.unused_data
                self._inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
                self._started = False
            else:
                self._pending = self._inflater.unconsumed_tail
            self.inflated += len(data)
            if self.inflated > self._limit:
                raise RepositoryTooLarge(uncompressed_too_large(self._limit))
            out.append(data)
            wanted -= len(data)
        return b"".join(out)


def split_member_name(name: str) -> tuple[str, str] | None:
    """(top folder, path inside the repository) of a tarball entry; None if unsafe.

    Unsafe: absolute, or with a ``..`` component anywhere.  GitHub puts every
    entry under one ``owner-repo-sha/`` folder, which is not part of the path.
    """
    if name.startswith("/"):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return parts[0], "/".join(parts[1:])


def git_blob_sha(data: bytes) -> str:
    """The SHA git gives a blob with this content (for files the tree listing missed)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def read_tarball(
    raw: RawReader, limits: TarballLimits, tree_shas: Mapping[str, str]
) -> TarballContents:
    """Every regular file of the tarball, within the limits; notes say what was ignored.

    ``tree_shas`` maps paths to blob SHAs from GitHub's tree listing (possibly
    truncated); a file missing from it gets its SHA computed from its content.
    """
    gz = GzipReader(raw, limits.max_uncompressed_bytes)
    result = TarballContents()
    unsafe: list[str] = []
    special: list[str] = []
    duplicates: list[str] = []
    seen: set[str] = set()
    top: str | None = None
    total = 0
    file_limit = limits.files
    too_big = f"larger than {human_size(file_limit.max_file_bytes)}"
    try:
        with tarfile.open(fileobj=gz, mode="r|") as tar:  # type: ignore[call-overload]
            while (member := tar.next()) is not None:
                # Stream mode remembers every member; forget them to keep memory flat.
                tar.members.clear()
                split = split_member_name(member.name)
                if split is None or (top is not None and split[0] != top):
                    unsafe.append(member.name)
                    continue
                top, path = split
                if member.isdir() or member.issym() or path == "":
                    continue  # symlinks are not content, as for local repositories
                if not member.isreg():
                    special.append(path)
                    continue
                if path in seen:
                    duplicates.append(path)
                    continue
                seen.add(path)
                if len(seen) > file_limit.max_files:
                    raise RepositoryTooLarge(files_too_many(file_limit.max_files))
                total += member.size
                if total > file_limit.max_repository_bytes:
                    raise RepositoryTooLarge(bytes_too_many(file_limit.max_repository_bytes))
                known_sha = tree_shas.get(path)
                if member.size > file_limit.max_file_bytes:
                    sha = known_sha or _hash_member(tar, member)
                    result.files.append(SnapshotFile(path, member.size, sha, None, too_big))
                    continue
                data = _read_member(tar, member)
                sha = known_sha or git_blob_sha(data)
                if looks_binary(data):
                    result.files.append(SnapshotFile(path, member.size, sha, None, "binary file"))
                else:
                    result.files.append(SnapshotFile(path, member.size, sha, data))
    except tarfile.TarError as exc:
        raise GitHubApiFailed(f"The repository tarball from GitHub cannot be read: {exc}") from None
    if unsafe:
        result.notes.append(
            f"Ignored {len(unsafe)} tarball entr{'y' if len(unsafe) == 1 else 'ies'} with an "
            f"unsafe path (absolute, containing '..', or outside the top folder): {_names(unsafe)}."
        )
    if special:
        result.notes.append(
            f"Ignored {len(special)} tarball entr{'y' if len(special) == 1 else 'ies'} that "
            f"{'is' if len(special) == 1 else 'are'} not a regular file (hard links, devices, "
            f"pipes): {_names(special)}."
        )
    if duplicates:
        result.notes.append(
            f"Ignored {len(duplicates)} repeated tarball entr"
            f"{'y' if len(duplicates) == 1 else 'ies'} (the first copy was read): "
            f"{_names(duplicates)}."
        )
    return result


def _read_member(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    source = tar.extractfile(member)
    if source is None:
        return b""
    chunks = []
    remaining = member.size
    while remaining > 0:
        chunk = source.read(min(_READ_CHUNK, remaining))
        if not chunk:
            raise GitHubApiFailed("The repository tarball from GitHub was cut short")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _hash_member(tar: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    """The blob SHA of a file too large to keep, computed as it streams past."""
    source = tar.extractfile(member)
    digest = hashlib.sha1(b"blob %d\0" % member.size, usedforsecurity=False)
    if source is not None:
        while chunk := source.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _names(names: list[str]) -> str:
    shown = ", ".join(code(n[:200]) for n in names[:_NAMES_SHOWN])
    more = f" and {len(names) - _NAMES_SHOWN} more" if len(names) > _NAMES_SHOWN else ""
    return shown + more
