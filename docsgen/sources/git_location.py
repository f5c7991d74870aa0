"""Where a local repository's git data lives, checked to lie inside the allowed roots.

Asked about a folder, git climbs to the parent folders until it finds a
repository, and follows a ``.git`` file (``gitdir: …``) or a ``.git`` symlink
wherever it points: a folder inside the roots can stand for git data outside
them.  ``locate`` asks git where the data is with the climb stopped at the
roots (``GIT_CEILING_DIRECTORIES``), then refuses the repository unless its
work tree, its git directory, its common git directory (worktrees), every
object store it borrows from (``objects/info/alternates``) and every symlink
inside them resolve inside a root.  Later commands are pinned to the checked
folders (``GIT_DIR``, ``GIT_COMMON_DIR``, ``GIT_WORK_TREE``), so git does not
look for them again.

Only plumbing commands are run, with the user's and system's git config
ignored and the file system monitor off: no hook, filter, pager or other
program named by the repository's config ever runs.  That, not the owner of
the folder, is what makes reading a repository safe, so git's ownership check
(``safe.directory``) is not what decides which folders may be read: the roots
are.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docsgen.errors import SourceUnreadable

log = logging.getLogger(__name__)

_BASE_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "LC_ALL": "C",
}


class GitFailed(Exception):
    """git exited non-zero; the message is its stderr."""


def git_env(**extra: str) -> dict[str, str]:
    """The environment every git command runs in: no user or system config, no prompt."""
    return {**_BASE_ENV, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), **extra}


def git_argv(*args: str) -> list[str]:
    return ["git", "-c", "core.fsmonitor=false", "-c", "safe.directory=*", *args]


async def run_git(*args: str, env: dict[str, str], cwd: Path) -> bytes:
    """git's standard output; ``GitFailed`` with its standard error if it fails."""
    proc = await asyncio.create_subprocess_exec(
        *git_argv(*args),
        cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    out, err = await proc.communicate()
    if proc.returncode != 0:
        raise GitFailed(err.decode(errors="replace").strip())
    return out


@dataclass(frozen=True)
class GitLocation:
    """A repository's checked folders: every later git command is pinned to them."""

    git_dir: Path
    common_dir: Path
    work_tree: Path | None  # None: a bare repository

    @property
    def cwd(self) -> Path:
        return self.work_tree or self.git_dir

    def env(self) -> dict[str, str]:
        pinned = {"GIT_DIR": str(self.git_dir), "GIT_COMMON_DIR": str(self.common_dir)}
        if self.work_tree is not None:
            pinned["GIT_WORK_TREE"] = str(self.work_tree)
        return git_env(**pinned)


def inside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether ``path``, symlinks resolved, is one of ``roots`` or lies under one."""
    real = resolved(path)
    return any(real == root or real.is_relative_to(root) for root in roots)


async def locate(path: Path, roots: Sequence[Path]) -> GitLocation:
    """The repository ``path`` belongs to, if all its git data lies inside ``roots``.

    Raises ``SourceUnreadable`` with a message the user can act on; it never
    names a folder outside the roots.
    """
    roots = await asyncio.to_thread(_real_roots, path, roots)
    ceilings = sorted({str(root.parent) for root in roots if root.parent != root})
    env = git_env(GIT_CEILING_DIRECTORIES=":".join(ceilings))
    try:
        bare, _, git_dir = (await run_git("rev-parse", "--is-bare-repository",
                                          "--absolute-git-dir", env=env, cwd=path)
                            ).partition(b"\n")  # fmt: skip
        common_dir = await run_git(
            "rev-parse", "--path-format=absolute", "--git-common-dir", env=env, cwd=path
        )
        work_tree = None
        if bare != b"true":
            work_tree = await run_git("rev-parse", "--show-toplevel", env=env, cwd=path)
    except GitFailed as exc:
        log.info("no git repository found at %s: %s", path, exc)
        raise SourceUnreadable(f"Not a git repository: {path}") from None
    location = GitLocation(
        resolved(_one_path(git_dir)),
        resolved(_one_path(common_dir)),
        None if work_tree is None else resolved(_one_path(work_tree)),
    )
    await asyncio.to_thread(_check_inside, path, location, roots)
    return location


def _real_roots(path: Path, roots: Sequence[Path]) -> tuple[Path, ...]:
    """``roots`` resolved, once ``path`` is known to be a folder."""
    if not path.is_dir():
        raise SourceUnreadable(f"Local repository folder not found: {path}")
    return tuple(resolved(root) for root in roots)


def _check_inside(path: Path, location: GitLocation, roots: Sequence[Path]) -> None:
    """Refuse ``location`` unless everything git may read of it lies inside ``roots``."""

    def refuse(what: str) -> SourceUnreadable:
        return SourceUnreadable(
            f"The git repository of {path} is not inside the allowed folders: {what} lies "
            "outside them"
        )

    if location.work_tree is not None and not inside(location.work_tree, roots):
        raise refuse("its work tree")
    if not inside(location.git_dir, roots):
        raise refuse("its git directory")
    if not inside(location.common_dir, roots):
        raise refuse("its shared git directory")
    folders = {location.git_dir, location.common_dir}
    stores = [location.common_dir / "objects"]
    while stores:
        for other in _alternates(stores.pop()):
            if other is None or not inside(other, roots):
                raise refuse("an object store it borrows from (objects/info/alternates)")
            if (store := resolved(other)) not in folders:
                folders.add(store)
                stores.append(store)
    walked: list[Path] = []
    pending = sorted(folders, key=lambda folder: len(folder.parts))  # parents first
    while pending:
        folder = pending.pop(0)
        if any(folder.is_relative_to(done) for done in walked):
            continue
        walked.append(folder)
        for link in _symlinks(folder):
            if not inside(link, roots):
                raise refuse(f"the target of {link.relative_to(folder)} in its git data")
            if link.is_dir():  # a linked folder inside the roots: its links count too
                pending.append(resolved(link))


def _symlinks(folder: Path) -> list[Path]:
    """Every symlink under ``folder`` (not followed); a git directory has few or none."""
    found: list[Path] = []
    pending = [folder]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        found.append(Path(entry.path))
                    elif entry.is_dir(follow_symlinks=False):
                        pending.append(Path(entry.path))
        except FileNotFoundError:
            continue  # removed while walked (git gc): nothing to read there
        except OSError as exc:
            raise SourceUnreadable(f"The service cannot read the git data in {folder}") from exc
    return found


def _alternates(store: Path) -> list[Path | None]:
    """The object stores ``store`` borrows from, as git reads its alternates file.

    None stands for a quoted entry: its path is not worked out, it is refused.
    """
    try:
        text = (store / "info" / "alternates").read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise SourceUnreadable(f"The service cannot read the git data in {store}") from exc
    found: list[Path | None] = []
    for raw in text.splitlines():
        line = os.fsdecode(raw).strip()
        if line and not line.startswith("#"):
            found.append(None if line.startswith('"') else store / line)
    return found


def _one_path(output: bytes) -> Path:
    """A path git printed: its line end dropped, its bytes kept as the file system's."""
    return Path(os.fsdecode(output.removesuffix(b"\n")))


def resolved(path: Path) -> Path:
    """``path`` with its symlinks resolved; a loop or an unreadable folder is refused."""
    try:
        return path.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python 3.11)
        raise SourceUnreadable(f"A symlink loop or unreadable folder at {path}") from exc
