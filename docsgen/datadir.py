"""The data folder: the embedded database and generated secrets live here.

Created with mode 0700.  The secret key is generated into it on first start
when ``DOCSGEN_SECRET_KEY`` is unset, in a file only its owner can read.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
from pathlib import Path

from docsgen.settings import Settings, SettingsError

SECRET_KEY_FILE = "secret_key"


def ensure_data_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def load_or_create_secret_key(data_dir: Path) -> str:
    """The key stored in ``data_dir``, created (mode 0600) if there is none yet.

    Two processes starting at once agree on one key.
    """
    ensure_data_dir(data_dir)
    path = data_dir / SECRET_KEY_FILE
    if not path.exists():
        # Written whole under a private name, then linked into place: a reader never
        # sees a half-written key, and of two racing writers exactly one link wins.
        draft = data_dir / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process won; use its key
        finally:
            draft.unlink()
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise SettingsError(f"{path} is empty: delete it to have a new key generated")
    return key


def with_secret_key(settings: Settings) -> Settings:
    """``settings`` with a secret key: the configured one, else the data folder's."""
    if settings.secret_key:
        return settings
    return dataclasses.replace(settings, secret_key=load_or_create_secret_key(settings.data_dir))
