"""How fast the GitHub tarball reader is, against plain ``tarfile`` on the same bytes.

Prints figures, asserts nothing.  Run from the repository root:
``PYTHONPATH=. python bench/github_tarball.py [files] [bytes-per-file]``.
The baseline iterates the same tar.gz with ``tarfile.open(mode="r|gz")`` and reads
every member; the ratio is the reader's time over the baseline's, in this run.
"""

from __future__ import annotations

import io
import sys
import tarfile
import time
import zlib

from docsgen.sources.base import SourceLimits
from docsgen.sources.github_tarball import TarballLimits, read_tarball


def build(files: int, size: int) -> bytes:
    raw = io.BytesIO()
    line = b"def function_%d(x):\n    return x + 1\n"
    with tarfile.open(fileobj=raw, mode="w") as tar:
        top = tarfile.TarInfo("owner-repo-abc1234")
        top.type = tarfile.DIRTYPE
        tar.addfile(top)
        for i in range(files):
            body = b"".join(line % j for j in range(size // 20 + 1))[:size]
            info = tarfile.TarInfo(f"owner-repo-abc1234/pkg{i % 50}/module{i}.py")
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(raw.getvalue()) + packer.flush()


def baseline(data: bytes) -> int:
    total = 0
    with tarfile.open(fileobj=io.BytesIO(data), mode="r|gz") as tar:
        for member in tar:
            if member.isreg():
                source = tar.extractfile(member)
                assert source is not None
                total += len(source.read())
    return total


LIMITS = TarballLimits(SourceLimits(1 << 30, 1 << 20, 1_000_000), 1 << 31)


def reader(data: bytes) -> int:
    """Without a tree listing (a truncated tree): every blob SHA is computed."""
    contents = read_tarball(io.BytesIO(data), LIMITS, {})
    return sum(len(f.data or b"") for f in contents.files)


def reader_with_tree(data: bytes) -> int:
    """The usual case: blob SHAs come from GitHub's tree listing."""
    contents = read_tarball(io.BytesIO(data), LIMITS, SHAS)
    return sum(len(f.data or b"") for f in contents.files)


SHAS: dict[str, str] = {}


def best_of(runs: int, fn: object, data: bytes) -> float:
    assert callable(fn)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    data = build(files, size)
    assert baseline(data) == reader(data) == files * size
    SHAS.update((f.path, f.blob_sha) for f in read_tarball(io.BytesIO(data), LIMITS, {}).files)
    base = best_of(3, baseline, data)
    ours = best_of(3, reader, data)
    with_tree = best_of(3, reader_with_tree, data)
    mib = files * size / (1 << 20)
    print(
        f"{files} files x {size} bytes = {mib:.1f} MiB unpacked, {len(data) / (1 << 20):.2f} MiB gz"
    )
    print(f"tarfile r|gz baseline: {base:.3f} s ({mib / base:.1f} MiB/s)")
    print(f"read_tarball, SHAs from the tree: {with_tree:.3f} s ({mib / with_tree:.1f} MiB/s)")
    print(f"read_tarball, SHAs computed:      {ours:.3f} s ({mib / ours:.1f} MiB/s)")
    print(f"ratio to baseline: {with_tree / base:.2f} with the tree, {ours / base:.2f} without")


if __name__ == "__main__":
    main()
