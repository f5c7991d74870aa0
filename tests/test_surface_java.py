"""The Java API as users import it, against ``javap`` on the jars built from the same sources.

OpenJFX's sources (Debian's ``openjfx-source``: modules, each with its
``module-info.java``) are resolved as a repository; Debian's jars of the same
version (``libopenjfx-java``) are read by ``javap -protected``: every class
reachable from outside its module (in a package its compiled module
descriptor exports to everyone) and every public or protected member of it
must be ours, in the module named by its package, and nothing else may be.
Two kinds of members exist only in the compiled classes, and only those are
allowed to be missing: the constructor the compiler adds to a class that
declares none, and an enum's ``values()`` and ``valueOf()``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.surface.model import Surface
from tests.support import projects
from tests.support.oracles import javap_api
from tests.support.surfaces import surface_of_files, surface_of_repository

# The modules compared (the others take long to read and add nothing new): their folders
# in the sources, and their jars.
MODULES = {"javafx.base": "javafx-base-11.jar", "javafx.fxml": "javafx-fxml-11.jar",
           "javafx.media": "javafx-media-11.jar", "javafx.swing": "javafx-swing-11.jar"}  # fmt: skip


@cache
def openjfx() -> tuple[Path, Surface, dict[str, FileAnalysis]]:
    repo = projects.checkout("openjfx")
    surface, analyses = surface_of_repository(repo, "Java", tuple(f"{m}/" for m in MODULES))
    return repo, surface, analyses


def ours(surface: Surface, analyses: dict[str, FileAnalysis]) -> dict[str, set[str]]:
    """Every type documented under a public name, by binary name, with its members' names
    (nested types are classes of their own, as javap lists them)."""
    found: dict[str, set[str]] = {}
    for module in surface.modules:
        for name in module.names:
            top = name.target.qualname or ""
            for s in analyses[name.target.path or ""].symbols:
                if s.qualname != top and not s.qualname.startswith(top + "."):
                    continue
                if s.kind in ("class", "interface", "enum"):
                    found.setdefault(f"{module.name}.{s.qualname.replace('.', '$')}", set())
                else:
                    owner = f"{module.name}.{(s.parent or '').replace('.', '$')}"
                    found.setdefault(owner, set()).add(s.name)
    return found


def compiler_made(repo: Path, binary: str, member: str, kinds: dict[str, str]) -> bool:
    """Whether javap's ``member`` of class ``binary`` is one the compiler adds: an enum's
    ``values``/``valueOf``, or the default constructor of a class whose source declares
    no constructor (its name followed by a parameter list, not after ``new``)."""
    simple = binary.rpartition(".")[2].rpartition("$")[2]
    if member in ("values", "valueOf"):
        return kinds.get(binary) == "enum"
    if member != simple:
        return False
    top = binary.rpartition(".")[2].split("$")[0]
    package = binary.rpartition(".")[0]
    folder = next(m for m in MODULES if (repo / m / package.replace(".", "/")).is_dir())
    text = (repo / folder / package.replace(".", "/") / f"{top}.java").read_text()
    return re.search(rf"(?<!new )(?<![\w.]){simple}\s*\(", text) is None


def test_every_class_and_member_javap_finds_is_ours_and_nothing_else() -> None:
    repo, surface, analyses = openjfx()
    theirs: dict[str, list[str]] = {}
    for jar in MODULES.values():
        theirs |= javap_api("openjfx-jars", jar)
    mine = ours(surface, analyses)
    assert sorted(set(theirs) - set(mine)) == []
    assert sorted(set(mine) - set(theirs)) == []
    kinds = {
        f"{m.name}.{s.qualname.replace('.', '$')}": s.kind
        for m in surface.modules
        for path in m.paths
        for s in analyses[path].symbols
    }
    missing = [
        f"{binary}#{member}"
        for binary, members in theirs.items()
        for member in members
        if member not in mine[binary] and not compiler_made(repo, binary, member, kinds)
    ]
    extra = [
        f"{binary}#{member}"
        for binary, members in mine.items()
        for member in sorted(members - set(theirs[binary]))
    ]
    assert missing == []
    assert extra == []
    assert sum(len(m) for m in theirs.values()) > 1500  # the comparison compared something


def test_packages_a_module_does_not_export_to_everyone_are_not_public() -> None:
    _, surface, analyses = openjfx()
    names = {m.name for m in surface.modules}
    assert "javafx.beans.property" in names and "javafx.fxml" in names
    assert not any(n.startswith("com.sun.") for n in names)  # exported only "to" modules
    assert any(a.package == "com.sun.javafx.collections" for a in analyses.values())
    descriptor = analyses["javafx.base/module-info.java"]
    assert descriptor.package == "javafx.base"
    assert "javafx.util" in (descriptor.exports or ())
    assert "com.sun.javafx" not in (descriptor.exports or ())


POM = "<project><artifactId>bank</artifactId></project>\n"


def test_maven_main_sources_are_public_by_package_and_tests_are_not() -> None:
    surface, analyses = surface_of_files(
        {
            "pom.xml": POM,
            "src/main/java/com/acme/bank/package-info.java": "/** Accounts and money. */\n"
            "package com.acme.bank;\n",
            "src/main/java/com/acme/bank/Account.java": "/** License. */\npackage com.acme.bank;"
            "\n\n/** An account. */\npublic class Account {\n"
            "  protected long cents;\n  public Account() {}\n  Account(int x) {}\n"
            "  protected void audit() {}\n  private void secret() {}\n"
            "  protected static class Ledger { public void post() {} }\n"
            "  private static class Hidden { public void no() {} }\n}\n",
            "src/main/java/com/acme/bank/Bank.java": "package com.acme.bank;\n\n"
            "public interface Bank { Account open(); }\nclass Helper { public void no() {} }\n",
            "src/main/java/com/acme/bank/spi/Store.java": "package com.acme.bank.spi;\n\n"
            "public final class Store {}\n",
            "src/main/java/com/acme/bank/spi/StoreTest.java": "package com.acme.bank.spi;\n\n"
            "/** Tests a store: product code all the same. */\npublic class StoreTest {}\n",
            "src/main/java/Main.java": "public class Main {}\n",
            "src/test/java/com/acme/bank/AccountTest.java": "package com.acme.bank;\n\n"
            "public class AccountTest { public void testOpen() {} }\n",
        },
        "Java",
    )
    assert [(m.name, [n.name for n in m.names]) for m in surface.modules] == [
        ("com.acme.bank", ["Account", "Bank"]),
        ("com.acme.bank.spi", ["Store", "StoreTest"]),
    ]
    bank = surface.modules[0]
    assert bank.doc_path == "src/main/java/com/acme/bank/package-info.java"
    account = analyses["src/main/java/com/acme/bank/Account.java"]
    assert account.doc is None  # a comment above ``package`` outside package-info is not its doc
    assert [s.qualname for s in account.symbols] == [
        "Account", "Account.cents", "Account.Account", "Account.audit", "Account.Ledger",
        "Account.Ledger.post",
    ]  # fmt: skip
    assert surface.canonical[("src/main/java/com/acme/bank/Bank.java", "Bank")] == (
        "com.acme.bank.Bank"
    )


def test_module_info_exports_decide_which_packages_are_public() -> None:
    surface, _ = surface_of_files(
        {
            "pom.xml": POM,
            "src/main/java/module-info.java": "/** The bank. */\nopen module com.acme.bank {\n"
            "  requires java.sql;\n  exports com.acme.bank;\n"
            "  exports com.acme.bank.spi to com.acme.store;\n  opens com.acme.bank.impl;\n}\n",
            "src/main/java/com/acme/bank/Bank.java": "package com.acme.bank;\n\n"
            "public class Bank {}\n",
            "src/main/java/com/acme/bank/spi/Store.java": "package com.acme.bank.spi;\n\n"
            "public class Store {}\n",
            "src/main/java/com/acme/bank/impl/Impl.java": "package com.acme.bank.impl;\n\n"
            "public class Impl {}\n",
            "other/src/main/java/com/acme/other/Other.java": "package com.acme.other;\n\n"
            "public class Other {}\n",
            "other/pom.xml": POM,
        },
        "Java",
    )
    assert [m.name for m in surface.modules] == ["com.acme.bank", "com.acme.other"]


@pytest.mark.parametrize("keyword", ["public", "protected"])
def test_members_of_a_class_that_is_not_public_are_not_listed(keyword: str) -> None:
    surface, analyses = surface_of_files(
        {"src/a/A.java": f"package a;\n\nclass A {{ {keyword} void m() {{}} }}\n"}, "Java"
    )
    assert surface.modules == ()
    assert analyses["src/a/A.java"].symbols == ()
