"""Keeping documentation fresh: push webhooks, the pending run, and the known head.

See docs/freshness.md for what happens on a push, when a run completes from the
stored docs, and when the head a repository's status shows is refreshed.
"""
