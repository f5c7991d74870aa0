"""SHA-256 for the generator's keys, without loading OpenSSL into the worker processes.

``hashlib`` loads OpenSSL's libcrypto on import, and relocating it costs each
process that loads it about 4 MiB of its own memory.  The workers only hash
short keys, where CPython's built-in SHA-256 is as quick, so they never load
it.  A process that has OpenSSL loaded already (the service's main process,
for TLS) uses OpenSSL's, several times faster on long texts.  The digests are
the same either way.  Which one a process has is asked of ``sys.modules`` at
each call (a dictionary lookup), so nothing here changes as a process runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

try:  # CPython's own implementation (``_sha256`` up to 3.11, ``_sha2`` from 3.12)
    from _sha256 import sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the interpreter
    try:
        from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        from hashlib import sha256

_builtin: Callable[[bytes], Any] = sha256


def _sha256() -> Callable[[bytes], Any]:
    """OpenSSL's SHA-256 once this process has libcrypto loaded, else the built-in one."""
    openssl = sys.modules.get("_hashlib")
    if openssl is None:
        if "_ssl" not in sys.modules:
            return _builtin
        import hashlib  # libcrypto is loaded (for TLS): its SHA-256 costs nothing more

        return hashlib.sha256
    found: Callable[[bytes], Any] = getattr(openssl, "openssl_sha256", _builtin)
    return found


def hexdigest(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex."""
    digest: str = _sha256()(data).hexdigest()
    return digest


def text_hexdigest(text: str) -> str:
    """The SHA-256 of ``text`` encoded as UTF-8 (lone surrogates, from odd file names, kept)."""
    return hexdigest(text.encode("utf-8", "surrogatepass"))
