"""A README's code read once, Markdown or reStructuredText: the blocks, their headings, the
commands among them; then what click's and anyhow's first screens show of it."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

from docsgen.generator.manifests.commands import INSTALL, RUN, TEST, readme_blocks
from docsgen.generator.manifests.identity import project_identity
from docsgen.generator.manifests.readme_code import CodeBlock, InlineCode, code_blocks, readme_code
from tests.support import projects
from tests.support.citations import citation_problems
from tests.support.generation import pool, section
from tests.support.orientation import documented

__all__ = ["pool"]

RST = """\
=======
 Widget
=======

Widget draws widgets.

Installing
----------

Install it with pip:

.. code-block:: text
   :caption: the shell

    $ pip install -U widget

Using it
~~~~~~~~

A session::

    >>> import widget
    >>> widget.draw()

-   In a list item, written out::

        widget --help

    And the text after it is prose again.

..
   A comment, with a paragraph ending in a colon::

       not code

.. note:: This ends in a colon too::

.. code:: python
    :linenos:
    :emphasize-lines: 2

    import widget

    widget.draw(
        size=3,
    )

Testing
-------

Run ``pytest -q`` from the checkout.
"""


def test_rst_directives_literal_blocks_and_titles_by_style() -> None:
    found = list(code_blocks(RST, "README.rst"))
    assert [(b.line, b.info, b.text) for b in found] == [
        (15, "text", "$ pip install -U widget"),
        (22, "", ">>> import widget\n>>> widget.draw()"),
        (27, "", "widget --help"),
        (42, "python", "import widget\n\nwidget.draw(\n    size=3,\n)"),
    ]
    # The overlined title is of its own style; ``~`` is met third, so it is below ``-``.
    assert [b.headings for b in found] == [
        ("Widget", "Installing"),
        ("Widget", "Installing", "Using it"),
        ("Widget", "Installing", "Using it"),
        ("Widget", "Installing", "Using it"),
    ]
    inline = [p for p in readme_code(RST, "README.rst") if isinstance(p, InlineCode)]
    assert inline == [InlineCode(51, "pytest -q", ("Widget", "Testing"))]
    # The path decides: read as Markdown, the text's one block is what ``~~~~~~~~`` fences.
    assert [(b.line, b.info) for b in code_blocks(RST, "README.md")] == [(20, "")]


def test_a_plain_text_block_opening_with_a_prompt_is_a_shell_session() -> None:
    blocks = readme_blocks(RST, "README.rst")
    assert [(b.purpose, b.heading, b.info, b.text, b.line, b.token) for b in blocks] == [
        (INSTALL, "Installing", "", "$ pip install -U widget", 15, "pip"),
        (TEST, "Testing", "sh", "pytest -q", 51, "pytest"),
    ]
    # Output quoted in plain text, without a prompt, is not a command.
    assert readme_blocks("## Usage\n\n```text\nwidget 1.0\n```\n", "README.md") == []


MARKDOWN = """\
Widget
======

## Install

- With pip:

  ```sh
  pip install widget
  ```

- Then in Python:

  ```python
  import widget

  if widget.ready():
      widget.draw()
  ```

```js```

~~~ts title="a `tilde` fence may hold backticks"
draw()
~~~

Run `python -m widget --help` to see its options.
"""


def test_markdown_fences_in_list_items_lose_the_fences_indentation() -> None:
    found = list(code_blocks(MARKDOWN, "README.md"))
    assert found == [
        CodeBlock(9, "sh", "pip install widget", ("Widget", "Install")),
        CodeBlock(
            15,
            "python",
            "import widget\n\nif widget.ready():\n    widget.draw()",
            ("Widget", "Install"),
        ),
        CodeBlock(24, "ts", "draw()", ("Widget", "Install")),
    ]
    blocks = readme_blocks(MARKDOWN, "README.md")
    assert [(b.purpose, b.text, b.line) for b in blocks] == [
        (INSTALL, "pip install widget", 9),
        (INSTALL, "python -m widget --help", 27),
    ]


def test_setup_cfg_names_a_project_without_pyproject_metadata() -> None:
    cfg = (
        "[metadata]\nname = widget\nversion = attr: widget.__version__\n"
        "description =\n    Draws widgets\nlong_description = file: README.rst\n"
    )
    found = project_identity({"setup.cfg": cfg, "pyproject.toml": "[build-system]\n"})
    assert found is not None and found.name is not None and found.description is not None
    assert (found.name.value, found.name.line, found.name.token) == ("widget", 2, "name")
    assert (found.description.value, found.description.line) == ("Draws widgets", 5)
    assert found.install_command() == "pip install widget"
    # A value setuptools reads from the code or a file is not the project's name.
    assert project_identity({"setup.cfg": "[metadata]\nname = attr: w.NAME\n"}) is None
    # pyproject.toml's [project] comes first.
    both = project_identity({"setup.cfg": cfg, "pyproject.toml": '[project]\nname = "w2"\n'})
    assert both is not None and both.name is not None and both.name.value == "w2"


def _citations_hold(project: str, citations: tuple[object, ...]) -> None:
    root = projects.checkout(project)

    def read(path: str) -> str | None:
        file = root / path
        return file.read_text(errors="replace") if file.is_file() else None

    assert citation_problems(citations, read) == []  # type: ignore[arg-type]


def test_click_is_installed_and_tried_from_its_readme_rst_and_setup_cfg(
    pool: ProcessPoolExecutor,
) -> None:
    docs = documented("click", pool)
    start = section(docs, "Getting Started")
    assert "### Installing the package\n\n```sh\npip install click\n```" in start
    assert "the name its manifest gives it (`setup.cfg:2`)" in start
    example = start.split("### First example from the README", 1)[1]
    assert example.startswith(
        "\n\n**A Simple Example** (`README.rst:37`):\n\n```python\nimport click\n\n"
        "@click.command()\n"
    )
    assert "**Installing** (`README.rst:27`):\n\n```sh\n$ pip install -U click\n```" in start
    assert "has no shell block" not in start
    overview = section(docs, "Overview")
    assert overview.startswith(
        "`click`: Composable command line interface toolkit. (`setup.cfg:16`)"
    )
    for title in ("Getting Started", "Overview"):
        _citations_hold("click", next(s for s in docs.sections if s.title == title).citations)
    commands = readme_blocks((projects.checkout("click") / "README.rst").read_text(), "README.rst")
    assert [(b.purpose, b.token, b.line) for b in commands] == [
        (INSTALL, "pip", 27),
        (RUN, "python", 52),
    ]


def test_anyhows_first_example_is_shown_without_its_list_items_indentation(
    pool: ProcessPoolExecutor,
) -> None:
    docs = documented("anyhow", pool)
    example = section(docs, "Getting Started").split("### First example from the README", 1)[1]
    assert "**Details** (`README.md:32`):\n\n```rust\nuse anyhow::Result;\n\n" in example
    assert "\nfn get_cluster_info() -> Result<ClusterMap> {\n    let config" in example
    _citations_hold(
        "anyhow", next(s for s in docs.sections if s.title == "Getting Started").citations
    )


SPHINX_DOCTEST = """\
Widget
======

.. testsetup:: *

    import widget

.. testcode::

    print(widget.draw())

.. testoutput::

    a widget

.. doctest:: drawing

    >>> widget.draw()
    'a widget'
"""


def test_sphinx_doctest_directives_are_code_in_the_language_they_run() -> None:
    # ``testsetup`` is set-up the reader does not see run: no example.
    found = [(b.line, b.info, b.text) for b in code_blocks(SPHINX_DOCTEST, "README.rst")]
    assert found == [
        (10, "python", "print(widget.draw())"),
        (14, "output", "a widget"),
        (18, "pycon", ">>> widget.draw()\n'a widget'"),
    ]


def test_tenacitys_first_screens_show_its_description_and_first_example(
    pool: ProcessPoolExecutor,
) -> None:
    docs = documented("tenacity", pool)
    # README.rst opens with "Please refer to the tenacity documentation": no description.
    overview = section(docs, "Overview")
    assert "(`README.rst:15`):\n\n> Tenacity is an Apache 2.0 licensed general-purpose" in (
        overview
    )
    # Its first example is a ``.. testcode::`` block, long before the first ``code-block``.
    example = section(docs, "Getting Started").split("### First example from the README")[1]
    assert example.startswith(
        "\n\n**Tenacity** (`README.rst:28`):\n\n```python\nimport random\nfrom tenacity import retry\n"
    )
    for title in ("Getting Started", "Overview"):
        _citations_hold("tenacity", next(s for s in docs.sections if s.title == title).citations)
