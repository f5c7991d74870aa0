"""Run one PostgreSQL program as a non-root user, optionally as a detached daemon.

Started as a fresh interpreter (``python -I launch.py ...``) so that the
privilege change happens in a single-threaded process right before ``exec``:

    launch.py MODE LOG CWD -- PROGRAM ARGS...

MODE is ``direct`` (already not root: just exec), ``userns`` (root: enter a new
user namespace in which our own uid 0 appears as ``NAMESPACE_UID``, so the
program is not root in its own eyes, holds no capability outside the namespace,
and every file it writes is still owned by the invoking user) or
``drop:UID:GID`` (root without user namespaces: switch to that unprivileged
account).  LOG is ``-`` to run in the foreground, or a file: then the program
is detached into its own session with stdout and stderr appended to LOG, and
this launcher prints the program's pid and exits at once.

Only the standard library is used: this file must start fast and must not
import the service.
"""

from __future__ import annotations

import ctypes
import os
import sys

CLONE_NEWUSER = 0x10000000
# How the invoking uid/gid appear inside the namespace: any non-zero id with a
# passwd entry will do (initdb looks its own user name up); ``nobody`` exists
# everywhere.  The mapping is one id wide, so nothing else is mapped.
NAMESPACE_UID = 65534
NAMESPACE_GID = 65534


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as f:
        f.write(text)


def enter_user_namespace() -> None:
    """Become ``NAMESPACE_UID`` in a new user namespace mapped onto our own uid."""
    uid, gid = os.geteuid(), os.getegid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWUSER) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare(CLONE_NEWUSER): {os.strerror(err)}")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{NAMESPACE_UID} {uid} 1\n")
    _write("/proc/self/gid_map", f"{NAMESPACE_GID} {gid} 1\n")


def drop_to(uid: int, gid: int) -> None:
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)


def confine(mode: str) -> None:
    if mode == "direct":
        return
    if mode == "userns":
        enter_user_namespace()
        return
    if mode.startswith("drop:"):
        _, uid, gid = mode.split(":")
        drop_to(int(uid), int(gid))
        return
    raise SystemExit(f"launch.py: unknown mode {mode!r}")


def main(argv: list[str]) -> int:
    if len(argv) < 5 or argv[3] != "--":
        print("usage: launch.py MODE LOG CWD -- PROGRAM ARGS...", file=sys.stderr)
        return 2
    mode, log, cwd, program = argv[0], argv[1], argv[2], argv[4:]
    if log != "-":
        child = os.fork()
        if child != 0:
            print(child, flush=True)
            return 0
        os.setsid()
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.close(null)
        os.close(out)
    try:
        confine(mode)
        os.chdir(cwd)
        os.execv(program[0], program)
    except OSError as exc:
        print(f"launch.py: cannot run {program[0]}: {exc}", file=sys.stderr)
        if log != "-":
            os._exit(127)  # the detached child must not return into the parent's code
        return 127
    return 0  # not reached: execv replaced this process


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
