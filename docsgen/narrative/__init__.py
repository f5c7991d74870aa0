"""Summaries written by a language model, every sentence checked against the code.

Optional (CONTRACT §12, docs/llm.md): off unless a model is configured.  The
parts, each with one job:

- ``client``: the OpenAI-compatible chat completions API, with timeouts,
  retries, the run's budget and bounded concurrency; a failure is a value.
- ``facts``: the plain data the verifier checks against (symbols, modules,
  paths, file lines, import and call edges, bases, return annotations).
- ``verifier``: pure and deterministic: splits an answer into sentences and
  keeps those whose every name, citation and relation the facts confirm.
"""
