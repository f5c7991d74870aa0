"""schemathesis hooks of tests/test_fuzz_openapi.py, loaded by its subprocess.

Webhook deliveries are signed as GitHub signs them, so the fuzzer reaches the
payload handling behind the signature check: the body is serialized here and
sent as is, with ``X-Hub-Signature-256`` computed over those bytes.  A case
without the signature header is left alone (it tests that refusal).
"""

from __future__ import annotations

import json
import os
from typing import Any

import schemathesis

from tests.support.fake_github import github_signature

WEBHOOK_PATH = "/webhooks/github"
SIGNATURE_HEADER = "X-Hub-Signature-256"
SECRET_VARIABLE = "DOCSGEN_FUZZ_WEBHOOK_SECRET"


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    if case.operation.path != WEBHOOK_PATH or case.media_type != "application/json":
        return
    headers = case.headers or {}
    if SIGNATURE_HEADER not in headers or isinstance(case.body, schemathesis.core.NotSet):
        return
    # Negative cases may carry raw bytes (malformed JSON): those are sent as they are.
    body = case.body if isinstance(case.body, bytes) else json.dumps(case.body).encode()
    headers[SIGNATURE_HEADER] = github_signature(body, os.environ[SECRET_VARIABLE])
    case.headers = headers
    kwargs["data"] = body
