"""The GitHub settings: read from the environment, defaults in one place, bad values named."""

from __future__ import annotations

import pytest

from docsgen.settings import Settings, SettingsError, load_settings

BASE = {"DATABASE_URL": "postgresql://db/docsgen"}


def test_github_settings_default_to_the_settings_class() -> None:
    loaded = load_settings(BASE)
    for name in (
        "max_tarball_bytes",
        "max_tarball_uncompressed_bytes",
        "github_timeout_seconds",
        "github_retries",
        "github_backoff_seconds",
        "github_backoff_max_seconds",
        "github_rate_limit_max_wait_seconds",
        "github_secondary_wait_seconds",
        "github_oauth_state_seconds",
        "previous_secret_keys",
    ):
        assert getattr(loaded, name) == getattr(Settings(), name), name


def test_github_settings_are_read_from_the_environment() -> None:
    loaded = load_settings(
        {
            **BASE,
            "DOCSGEN_MAX_TARBALL_BYTES": "1000",
            "DOCSGEN_MAX_TARBALL_UNCOMPRESSED_BYTES": "2000",
            "DOCSGEN_GITHUB_TIMEOUT_SECONDS": "2.5",
            "DOCSGEN_GITHUB_RETRIES": "0",
            "DOCSGEN_GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS": "5",
            "DOCSGEN_PREVIOUS_SECRET_KEYS": "old-key-1  old-key-2",
            "GITHUB_API_URL": "https://ghe.example.com/api/v3/",
        }
    )
    assert (loaded.max_tarball_bytes, loaded.max_tarball_uncompressed_bytes) == (1000, 2000)
    assert loaded.github_timeout_seconds == 2.5
    assert loaded.github_retries == 0
    assert loaded.github_rate_limit_max_wait_seconds == 5.0
    assert loaded.previous_secret_keys == ("old-key-1", "old-key-2")
    assert loaded.github_api_url == "https://ghe.example.com/api/v3"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DOCSGEN_MAX_TARBALL_BYTES", "lots", "DOCSGEN_MAX_TARBALL_BYTES must be a whole number"),
        ("DOCSGEN_MAX_TARBALL_BYTES", "0", "DOCSGEN_MAX_TARBALL_BYTES must be at least 1"),
        ("DOCSGEN_GITHUB_RETRIES", "-1", "DOCSGEN_GITHUB_RETRIES must be at least 0"),
        ("DOCSGEN_GITHUB_TIMEOUT_SECONDS", "0", "DOCSGEN_GITHUB_TIMEOUT_SECONDS must be greater"),
    ],
)
def test_a_malformed_github_setting_is_named(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({**BASE, name: value})
    assert str(caught.value).startswith(message)
