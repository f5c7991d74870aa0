"""Hostile tarballs: nothing written anywhere, memory bounded, limits with clear messages.

The reader is pure (bytes in, files and notes out), so most cases are plain
data; the last tests serve hostile tarballs through the fake GitHub to the
running service and measure its peak memory while it reads them.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import tarfile
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.errors import GitHubApiFailed, RepositoryTooLarge
from docsgen.sources.base import SourceLimits
from docsgen.sources.github_tarball import TarballLimits, git_blob_sha, read_tarball
from tests.support.api import docs_of, run_to_end
from tests.support.fake_github import FakeGitHub, connect_github, register_github

Client = TestClient[Any, Any]
MiB = 1024 * 1024
LIMITS = TarballLimits(SourceLimits(512 * MiB, MiB, 50_000), 1024 * MiB)
# The tests that run the service serve its tarballs from the fake GitHub.
pytestmark = pytest.mark.on_fake_github


# --- building tarballs ---------------------------------------------------------------


def member(name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE, link: str = "") -> Any:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    if kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
        info.devmajor, info.devminor = 1, 3
    return info, data


def tar_gz(*members: tuple[tarfile.TarInfo, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return gzip_bytes(raw.getvalue())


def gzip_bytes(raw: bytes, level: int = 6) -> bytes:
    packer = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(raw) + packer.flush()


def ustar_header(name: str, size: int) -> bytes:
    """A ustar header built by hand: fast enough for 100,000 members."""
    header = bytearray(512)
    header[0 : len(name)] = name.encode()
    header[100:108] = b"0000644\0"
    header[108:116] = header[116:124] = b"0000000\0"
    header[124:136] = b"%011o\0" % size
    header[136:148] = b"%011o\0" % 1767225600
    header[148:156] = b" " * 8
    header[156:157] = b"0"
    header[257:265] = b"ustar\x0000"
    header[148:156] = b"%06o\0 " % sum(header)
    return bytes(header)


def many_tiny_files(count: int) -> bytes:
    data = b"x\n" + b"\0" * 510
    parts = [ustar_header(f"top/d{i // 1000}/f{i}.txt", 2) + data for i in range(count)]
    return gzip_bytes(b"".join(parts) + b"\0" * 1024, level=1)


def gzip_bomb(declared: int) -> bytes:
    """One member declaring ``declared`` bytes of zeros: concatenated gzip members, ~1000:1."""
    block = 16 * MiB
    assert declared % block == 0
    zeros = gzip_bytes(b"\0" * block, level=9)
    return gzip_bytes(ustar_header("top/bomb.bin", declared)) + zeros * (declared // block)


def read(data: bytes, limits: TarballLimits = LIMITS, shas: dict[str, str] | None = None) -> Any:
    return read_tarball(io.BytesIO(data), limits, shas or {})


# --- the reader, on plain data -------------------------------------------------------


def test_regular_files_come_out_under_their_repository_paths() -> None:
    result = read(
        tar_gz(
            member("top", kind=tarfile.DIRTYPE),
            member("top/README.md", b"# Hi\n"),
            member("top/src/app.py", b"print(1)\n"),
            member("top/logo.png", b"\x89PNG\0\0"),
        ),
        shas={"README.md": "a" * 40},
    )
    files = {f.path: f for f in result.files}
    assert sorted(files) == ["README.md", "logo.png", "src/app.py"]
    assert files["README.md"].data == b"# Hi\n"
    assert files["README.md"].blob_sha == "a" * 40  # from the tree listing
    assert files["src/app.py"].blob_sha == git_blob_sha(b"print(1)\n")
    assert git_blob_sha(b"print(1)\n") == hashlib.sha1(b"blob 9\0print(1)\n").hexdigest()
    assert (files["logo.png"].data, files["logo.png"].skipped) == (None, "binary file")
    assert result.notes == []


def test_unsafe_paths_links_and_devices_are_ignored_and_noted() -> None:
    result = read(
        tar_gz(
            member("top/README.md", b"# Safe\n"),
            member("top/../../escape.txt", b"out"),
            member("../escape.txt", b"out"),
            member("/etc/cron.d/evil", b"out"),
            member("elsewhere/file.txt", b"outside the top folder"),
            member("top/passwd", kind=tarfile.SYMTYPE, link="/etc/passwd"),
            member("top/hard", kind=tarfile.LNKTYPE, link="/etc/passwd"),
            member("top/null", kind=tarfile.CHRTYPE),
            member("top/pipe", kind=tarfile.FIFOTYPE),
            member("top/README.md", b"# Second copy\n"),
        )
    )
    assert [(f.path, f.data) for f in result.files] == [("README.md", b"# Safe\n")]
    assert result.notes == [
        "Ignored 4 tarball entries with an unsafe path (absolute, containing '..', or outside "
        "the top folder): `top/../../escape.txt`, `../escape.txt`, `/etc/cron.d/evil`, "
        "`elsewhere/file.txt`.",
        "Ignored 3 tarball entries that are not a regular file (hard links, devices, pipes): "
        "`hard`, `null`, `pipe`.",
        "Ignored 1 repeated tarball entry (the first copy was read): `README.md`.",
    ]


def test_a_file_over_the_per_file_limit_is_listed_not_read() -> None:
    big = b"a" * (MiB + 1)
    result = read(tar_gz(member("top/big.txt", big), member("top/small.txt", b"ok\n")))
    files = {f.path: f for f in result.files}
    assert files["big.txt"].data is None
    assert files["big.txt"].skipped == "larger than 1 MiB"
    assert files["big.txt"].size == MiB + 1
    assert files["big.txt"].blob_sha == git_blob_sha(big)  # hashed as it streamed past
    assert files["small.txt"].data == b"ok\n"


def test_more_files_than_the_limit_fail_with_the_limit() -> None:
    limits = TarballLimits(SourceLimits(512 * MiB, MiB, 3), 1024 * MiB)
    with pytest.raises(RepositoryTooLarge) as caught:
        read(tar_gz(*(member(f"top/{i}.txt", b"x") for i in range(4))), limits)
    assert caught.value.message == (
        "Repository is too large: more than 3 files, over the limit of 3 files"
    )


def test_more_bytes_than_the_repository_limit_fail_with_the_limit() -> None:
    limits = TarballLimits(SourceLimits(1000, MiB, 100), 1024 * MiB)
    with pytest.raises(RepositoryTooLarge) as caught:
        read(tar_gz(member("top/a.txt", b"a" * 600), member("top/b.txt", b"b" * 600)), limits)
    assert caught.value.message == (
        "Repository is too large: more than 1000 bytes of files, over the limit of 1000 bytes"
    )


def test_a_gzip_bomb_stops_at_the_uncompressed_limit() -> None:
    limits = TarballLimits(SourceLimits(512 * MiB, MiB, 100), 32 * MiB)
    bomb = gzip_bomb(256 * MiB)
    assert len(bomb) < MiB
    with pytest.raises(RepositoryTooLarge) as caught:
        read(bomb, limits)
    assert caught.value.message == (
        "Repository is too large: its tarball unpacks to more than the limit of 32 MiB"
    )


def test_a_tarball_cut_short_not_gzip_or_not_tar_fails_with_a_message() -> None:
    whole = tar_gz(member("top/a.txt", b"hello " * 1000))
    with pytest.raises(GitHubApiFailed) as cut:
        read(whole[: len(whole) // 2])
    assert cut.value.message == "The repository tarball from GitHub was cut short"
    with pytest.raises(GitHubApiFailed) as garbage:
        read(b"this is not gzip at all")
    assert garbage.value.message == "The repository tarball from GitHub is not valid gzip"
    with pytest.raises(GitHubApiFailed) as not_tar:
        read(gzip_bytes(b"this is gzip, but not a tar archive " * 100))
    assert not_tar.value.message == (  # tarfile's own words go to the log only
        "The repository tarball from GitHub cannot be read: it is not a valid tar archive"
    )


# --- hostile tarballs served to the running service -----------------------------------


class PeakRss:
    """Peak resident memory of this process and its children above the level at the start."""

    def __init__(self) -> None:
        self.baseline = self._rss()
        self.peak = self.baseline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def _rss() -> int:
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                continue
        return total

    def _sample(self) -> None:
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, self._rss())

    @property
    def growth(self) -> int:
        return self.peak - self.baseline

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())


def assert_absent(*paths: Path) -> None:
    for path in paths:
        assert not path.exists(), f"{path} was written"


def tree_listing(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*")}


@contextmanager
def nothing_written(*roots: Path) -> Iterator[None]:
    before = {root: tree_listing(root) for root in roots}
    passwd = Path("/etc/passwd")
    passwd_before = passwd.read_bytes() if passwd.exists() else None
    yield
    for root in roots:
        assert tree_listing(root) == before[root], f"files appeared under {root}"
    if passwd_before is not None:
        assert passwd.read_bytes() == passwd_before


async def run_hostile(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    name: str,
    tarball: bytes,
) -> tuple[dict[str, Any], PeakRss]:
    user = fake_github.add_user("alice-gh")
    await connect_github(client, auth, user.token)
    fake_github.add_repo_with_tarball("alice-gh", name, tarball)  # tree truncated: no listing
    repo = await register_github(client, auth, f"alice-gh/{name}")
    with PeakRss() as memory:
        await run_to_end(app, client, auth, repo["id"])
    docs = await docs_of(client, auth, repo["id"])
    print(
        f"\n{name}: {len(tarball)} bytes compressed, peak RSS growth "
        f"{memory.growth / MiB:.1f} MiB (baseline {memory.baseline / MiB:.1f} MiB)"
    )
    return docs, memory


async def test_a_hostile_tarball_completes_with_warnings_and_writes_nothing(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    tmp_path: Path,
) -> None:
    mark = secrets.token_hex(4)
    absolute = Path(f"/tmp/docsgen-absolute-{mark}")
    escape = f"docsgen-escape-{mark}.txt"
    tarball = tar_gz(
        member("top/README.md", b"# Hostile\n\nA repository that attacks whoever reads it.\n"),
        member("top/app.py", b"def main() -> None:\n    pass\n"),
        member(f"top/../../{escape}", b"escaped"),
        member(f"../{escape}", b"escaped"),
        member(f"{absolute}/pwned.txt", b"absolute"),
        member("top/passwd", kind=tarfile.SYMTYPE, link="/etc/passwd"),
        member("top/shadow", kind=tarfile.LNKTYPE, link="/etc/passwd"),
        member("top/null", kind=tarfile.CHRTYPE),
    )
    cwd = Path.cwd()
    with nothing_written(tmp_path, cwd):
        docs, memory = await run_hostile(app, client, auth, fake_github, "hostile", tarball)
    parents = (cwd, cwd.parent, cwd.parent.parent, tmp_path.parent, Path("/tmp"))
    assert_absent(absolute, *(parent / escape for parent in parents))
    assert docs["status"] == "completed", docs
    overview = docs["pages"]["overview"]["markdown"]
    assert "⚠️ GitHub truncated the file tree of this repository" in overview
    assert "⚠️ Ignored 3 tarball entries with an unsafe path" in overview
    assert "⚠️ Ignored 2 tarball entries that are not a regular file" in overview
    assert "root:x:0:0" not in docs["content"]
    structure = docs["pages"]["project-structure"]["markdown"]
    assert "README.md" in structure and "app.py" in structure
    assert "passwd" not in structure and "escape" not in structure
    # Most of this is the analysis worker process the completed run starts.
    assert memory.growth < 100 * MiB


@pytest.mark.parametrize("github_overrides", [{"max_tarball_uncompressed_bytes": 64 * MiB}])
async def test_a_gzip_bomb_fails_early_with_bounded_memory(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    tmp_path: Path,
) -> None:
    bomb = gzip_bomb(448 * MiB)  # under the 512 MiB repository limit: only inflation stops it
    with nothing_written(tmp_path, Path.cwd()):
        docs, memory = await run_hostile(app, client, auth, fake_github, "bomb", bomb)
    assert docs["status"] == "failed"
    assert docs["error_message"] == (
        "Repository is too large: its tarball unpacks to more than the limit of 64 MiB"
    )
    # Streamed: neither the 64 MiB read nor the 448 MiB declared is ever held.
    assert memory.growth < 16 * MiB


async def test_a_hundred_thousand_tiny_files_fail_at_the_file_limit_with_bounded_memory(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    tmp_path: Path,
) -> None:
    started = time.perf_counter()
    tarball = many_tiny_files(100_000)
    print(f"\nbuilt 100,000-file tarball in {time.perf_counter() - started:.2f} s")
    with nothing_written(tmp_path, Path.cwd()):
        docs, memory = await run_hostile(app, client, auth, fake_github, "tiny", tarball)
    assert docs["status"] == "failed"
    assert docs["error_message"] == (
        "Repository is too large: more than 50000 files, over the limit of 50000 files"
    )
    # 50,000 tiny files are read before the limit; tarfile's member list is not kept
    # (keeping it measured about 43 MiB here, against about 18 MiB without).
    assert memory.growth < 32 * MiB
