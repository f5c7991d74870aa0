"""A private PostgreSQL in the data folder, for ``serve`` without ``DATABASE_URL``.

See ``docs/embedded-database.md`` for why it is built this way.
"""

from __future__ import annotations

from docsgen.embedded.server import EmbeddedPostgres

__all__ = ["EmbeddedPostgres"]
