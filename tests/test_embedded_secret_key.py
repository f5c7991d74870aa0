"""The secret key: generated once into the data folder (0600) unless DOCSGEN_SECRET_KEY is set."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from docsgen.datadir import load_or_create_secret_key, with_secret_key
from docsgen.settings import Settings, SettingsError, load_settings


def test_generated_once_readable_only_by_its_owner(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    key = load_or_create_secret_key(data_dir)
    assert len(key) >= 64
    assert stat.S_IMODE((data_dir / "secret_key").stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert load_or_create_secret_key(data_dir) == key
    assert [p.name for p in data_dir.iterdir()] == ["secret_key"], "no drafts left behind"


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: load_or_create_secret_key(tmp_path / "d"), range(16)))
    assert len(keys) == 1


def test_serve_settings_get_the_data_folders_key_unless_one_is_configured(tmp_path: Path) -> None:
    settings = load_settings({"DOCSGEN_DATA_DIR": str(tmp_path / "data")})
    assert settings.secret_key is None
    keyed = with_secret_key(settings)
    assert keyed.secret_key == (tmp_path / "data" / "secret_key").read_text().strip()

    configured = load_settings(
        {"DOCSGEN_DATA_DIR": str(tmp_path / "other"), "DOCSGEN_SECRET_KEY": "from-the-env"}
    )
    assert with_secret_key(configured).secret_key == "from-the-env"
    assert not (tmp_path / "other").exists(), "nothing generated when a key is configured"


def test_an_emptied_key_file_is_a_configuration_error(tmp_path: Path) -> None:
    load_or_create_secret_key(tmp_path)
    (tmp_path / "secret_key").write_text("")
    with pytest.raises(SettingsError, match="is empty"):
        with_secret_key(Settings(data_dir=tmp_path))
