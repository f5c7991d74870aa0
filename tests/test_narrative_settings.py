"""The language model's settings: off unless a base URL is set, a model required, the key hidden."""

from __future__ import annotations

import pytest

from docsgen.settings import LanguageModelSettings, SettingsError, load_settings

BASE = {"DOCSGEN_DATA_DIR": "/tmp/docsgen-test-data"}
KEY = "sk-settings-test-0123456789"


def test_without_a_base_url_summaries_are_off() -> None:
    assert load_settings(BASE).llm is None
    assert load_settings({**BASE, "DOCSGEN_LLM_MODEL": "llama3.1"}).llm is None


def test_the_language_model_is_read_from_the_environment() -> None:
    llm = load_settings(
        {
            **BASE,
            "DOCSGEN_LLM_BASE_URL": "http://127.0.0.1:11434/v1/",
            "DOCSGEN_LLM_MODEL": "llama3.1:8b",
            "DOCSGEN_LLM_API_KEY": KEY,
            "DOCSGEN_LLM_MAX_REQUESTS": "50",
            "DOCSGEN_LLM_MAX_TOKENS": "100000",
            "DOCSGEN_LLM_CONCURRENCY": "2",
            "DOCSGEN_LLM_TIMEOUT_SECONDS": "30",
            "DOCSGEN_LLM_RETRIES": "1",
        }
    ).llm
    assert llm is not None
    assert (llm.base_url, llm.model, llm.api_key) == (
        "http://127.0.0.1:11434/v1",
        "llama3.1:8b",
        KEY,
    )
    assert (llm.max_requests, llm.max_tokens, llm.concurrency) == (50, 100_000, 2)
    assert (llm.timeout_seconds, llm.retries) == (30.0, 1)


def test_defaults_live_in_the_settings_class() -> None:
    llm = load_settings({**BASE, "DOCSGEN_LLM_BASE_URL": "https://api.example.com/v1",
                         "DOCSGEN_LLM_MODEL": "m"}).llm  # fmt: skip
    assert llm == LanguageModelSettings("https://api.example.com/v1", "m")


def test_the_key_is_not_in_the_settings_repr() -> None:
    llm = LanguageModelSettings("http://127.0.0.1:8000/v1", "m", api_key=KEY)
    assert KEY not in repr(llm)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DOCSGEN_LLM_BASE_URL": "http://127.0.0.1:11434/v1"}, "DOCSGEN_LLM_MODEL"),
        ({"DOCSGEN_LLM_BASE_URL": "127.0.0.1:11434", "DOCSGEN_LLM_MODEL": "m"},
         "DOCSGEN_LLM_BASE_URL"),
        ({"DOCSGEN_LLM_BASE_URL": "http://h/v1", "DOCSGEN_LLM_MODEL": "m",
          "DOCSGEN_LLM_CONCURRENCY": "0"}, "DOCSGEN_LLM_CONCURRENCY"),
        ({"DOCSGEN_LLM_BASE_URL": "http://h/v1", "DOCSGEN_LLM_MODEL": "m",
          "DOCSGEN_LLM_MAX_REQUESTS": "many"}, "DOCSGEN_LLM_MAX_REQUESTS"),
    ],
)  # fmt: skip
def test_a_malformed_language_model_setting_is_named(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({**BASE, **env})
    assert named in str(caught.value)
