"""docsgen's documentation as MCP tools for coding assistants (docs/mcp.md).

``server`` builds the tools; ``stdio`` serves them as ``docsgen mcp``, ``http`` at
``/mcp`` of the service.  Imported by ``cli`` and ``api``; imports ``jobs`` and ``db``.
"""
