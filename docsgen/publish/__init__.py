"""The documentation's pages written out to be published elsewhere.

A static HTML site (``site``), a folder of Markdown files (``markdown_dir``),
``llms.txt`` and ``llms-full.txt`` for language models (``llms``), and the
folder they are written to (``folder``).  All of it is pure except ``folder``:
pages in, file contents out.
"""
