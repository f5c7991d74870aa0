"""The ``docsgen`` command's entry point, importing nothing until it runs.

Multiprocessing prepares each worker it starts by running the program's main
script again (under another name, so the command itself does not run): a
script that imported the command line module made every analysis worker load
the web server, the database driver and the GitHub client it never uses.
"""

from __future__ import annotations


def main() -> int:
    from docsgen.cli import main as run

    return run()
