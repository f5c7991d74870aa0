"""Real projects from the package registries, pinned, fetched once and kept as git repositories.

The documentation is judged on real code, not fixtures: the tests and the
benchmarks read these projects as a user would register them.  Each is
pinned by version and by the SHA-256 of the archive the registry serves
(PyPI sdists, npm tarballs, Debian packages of crate and Go sources), so a
test reads the same bytes on every machine.  ``scripts/fetch-projects``
fetches them all ahead of a run; a test that needs one fetches it on first
use.  The cache folder is ``.cache/projects`` in the checkout, or
``DOCSGEN_PROJECTS_CACHE``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cache_folder() -> Path:
    folder = Path(os.environ.get("DOCSGEN_PROJECTS_CACHE") or ROOT / ".cache" / "projects")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class Project:
    """One archive of a registry: ``kind`` is ``pypi``, ``npm`` or ``debian``."""

    name: str  # how tests call it, e.g. "flask"
    kind: str
    package: str  # the registry's name: "flask", "express", "librust-serde-json-dev"
    version: str
    sha256: str
    # Debian packages hold their sources under a folder of the file system.
    inside: str = ""
    # Or in a zip file (the package's path to it): ``inside`` is then a folder of the zip.
    zipped: str = ""
    arch: str = "amd64"  # a Debian package's architecture: "all" for sources and jars

    @property
    def archive_name(self) -> str:
        if self.kind == "pypi":
            return f"{self.package}-{self.version}.tar.gz"
        if self.kind == "npm":
            return f"{self.package}-{self.version}.tgz"
        return f"{self.package}_{self.version}_{self.arch}.deb"


PROJECTS: dict[str, Project] = {
    p.name: p
    for p in (
        Project("flask", "pypi", "flask", "3.0.3",
                "ceb27b0af3823ea2737928a4d99d125a06175b8512c445cbd9a9ce200ef76842"),
        Project("httpx", "pypi", "httpx", "0.27.2",
                "f7c2be1d2f3c3c3160d441802406b206c2b76f5947b11115e6df10c6c65e66c2"),
        Project("rich", "pypi", "rich", "13.9.4",
                "439594978a49a09530cff7ebc4b5c7103ef57baf48d5ea3184f21d9a2befa098"),
        Project("requests", "pypi", "requests", "2.32.3",
                "55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760"),
        Project("django", "pypi", "django", "5.2.8",
                "23254866a5bb9a2cfa6004e8b809ec6246eba4b58a7589bc2772f1bcc8456c7f"),
        Project("click", "pypi", "click", "8.1.7",
                "ca9853ad459e787e2192211578cc907e7594e294c7ccc834310722b41b9ca6de"),
        Project("attrs", "pypi", "attrs", "24.2.0",
                "5cfb1b9148b5b086569baec03f20d7b6bf3bcacc9a42bebf87ffaaca362f6346"),
        Project("jinja2", "pypi", "jinja2", "3.1.4",
                "4a3aee7acbbe7303aede8e9648d13b8bf88a429282aa6122a993f0ac800cb369"),
        Project("itsdangerous", "pypi", "itsdangerous", "2.2.0",
                "e0050c0b7da1eea53ffaf149c0cfbb5c6e2e2b69c4bef22c81fa6eb73e5f6173"),
        Project("werkzeug", "pypi", "werkzeug", "3.0.6",
                "a8dd59d4de28ca70471a34cba79bed5f7ef2e036a76b3ab0835474246eb41f8d"),
        Project("tenacity", "pypi", "tenacity", "9.0.0",
                "807f37ca97d62aa361264d497b0e31e92b8027044942bfa756160d908320d73b"),
        Project("express", "npm", "express", "4.21.2",
                "fc43a91e7dc7affb53c6ad7123a4f35485ed3c45226ae7a3847b7738e783e008"),
        Project("ky", "npm", "ky", "1.7.2",
                "d8830d2a3c08841b7ef3bc809c10ed90ce300975f4449a2dedd02209c76224c7"),
        Project("immer", "npm", "immer", "10.1.1",
                "946cc79684ad1e080b09d4f2da14247b272aa667f3aaa100f35846148689f08f"),
        Project("commander", "npm", "commander", "12.1.0",
                "56affc6ddafe486f94b428ae2823d059cf60d4dae2f33eaaf1b1ec4306f73173"),
        Project("zod", "npm", "zod", "3.23.8",
                "461cea3c57c75a4ee97bf678e9e4669d963fc57c6ecec93a858aba11ca709e19"),
        Project("chalk", "npm", "chalk", "5.3.0",
                "02ae1fe87987a93d08098699e0dd5a029ecd0f81466d497de5c9262077e232e9"),
        Project("nanoid", "npm", "nanoid", "5.0.7",
                "28b06e1e035cd55dc5d56b582911fc82fd83b5bd46a67c0b41ad2e8a90016c36"),
        Project("dayjs", "npm", "dayjs", "1.11.13",
                "be0396c0f91583421b68f9a034227fb552eb87d93e59add775d533a65f70e47e"),
        Project("axios", "npm", "axios", "1.7.7",
                "5f2dde3882446ea1cb5094dd7db99b4ed7cf09f0c96be646a8d30959b0923bec"),
        Project("yargs", "npm", "yargs", "17.7.2",
                "48ec935f10b5d760620a2670fcb2e237a7dee58a1bd4a53f1908dd7dcb83aec9"),
        Project("serde_json", "debian", "librust-serde-json-dev", "1.0.87-1",
                "2d053de630af6649c40a39d9ab6268d5469385289016a1205d0dec196e7b77d2",
                "usr/share/cargo/registry/serde_json-1.0.87"),
        Project("serde", "debian", "librust-serde-dev", "1.0.152-2",
                "c3ff1f1db5056118a102a6b06043cea152bf0b63e96fd71a16e9c827959fcc78",
                "usr/share/cargo/registry/serde-1.0.152"),
        Project("itoa", "debian", "librust-itoa-dev", "1.0.1-2",
                "42b9e2912127c5e2ae2ed959baf93667434422fdf924ff606364a54302fedbb0",
                "usr/share/cargo/registry/itoa-1.0.1"),
        Project("ryu", "debian", "librust-ryu-dev", "1.0.2-1",
                "3fcd488fa14ee2da0041eff65f413cb21ac99e7fbe00b537f36298d593648377",
                "usr/share/cargo/registry/ryu-1.0.2"),
        Project("anyhow", "debian", "librust-anyhow-dev", "1.0.69-1",
                "f877f024d95d8af3c3f62e2cf74e6ba5eb976a3cf27c920bda786cd32029b79d",
                "usr/share/cargo/registry/anyhow-1.0.69"),
        Project("log", "debian", "librust-log-dev", "0.4.17-3",
                "bd34d9fc5aaa80121cb1446f848ec99993f97c18f743bcb3f6c4824644c1d0cd",
                "usr/share/cargo/registry/log-0.4.17"),
        Project("go-cmp", "debian", "golang-github-google-go-cmp-dev", "0.5.9-1",
                "b68bd919daa7c1bdf02abfb68894e29e532f19b03b68c8615f50626c48f553b6",
                "usr/share/gocode/src/github.com/google/go-cmp", arch="all"),
        Project("uuid", "debian", "golang-github-google-uuid-dev", "1.3.0-1",
                "f79ead959ee04842fcb410347e7023a3c4c357c17f77b9bb13cff30ef4353351",
                "usr/share/gocode/src/github.com/google/uuid", arch="all"),
        Project("cobra", "debian", "golang-github-spf13-cobra-dev", "1.6.1-1",
                "4f5d20855133319beef3c5b49d3c21a0406f270bf94fb4b6f4d406b691283cb2",
                "usr/share/gocode/src/github.com/spf13/cobra", arch="all"),
        Project("pkg-errors", "debian", "golang-github-pkg-errors-dev", "0.9.1-2",
                "87227544904795f81d8c660b7854045a1ef78d5c690993bb4a0c43e05104ca64",
                "usr/share/gocode/src/github.com/pkg/errors", arch="all"),
        # OpenJFX's Java sources (its modules, each with its module-info.java), and the
        # jars Debian built from the same sources (what javap reads).
        Project("openjfx", "debian", "openjfx-source", "11.0.11+1-3",
                "a8de0bec39f5fd7825d513893cd13876c1e8e4733b998fa9d0de0671afcc66b4",
                "", zipped="usr/share/openjfx/lib/src.zip", arch="all"),
        Project("openjfx-jars", "debian", "libopenjfx-java", "11.0.11+1-3",
                "6d0d337909279d4cfc64620898aaa2a77906022536b677e42bb354269534c41a",
                "usr/share/java", arch="all"),
    )
}  # fmt: skip


class FetchError(RuntimeError):
    """A project could not be fetched or did not match its pinned digest."""


def archive(name: str, cache: Path | None = None) -> Path:
    """The project's archive as the registry serves it, checked against its digest."""
    project = PROJECTS[name]
    cache = cache or cache_folder()
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    path = downloads / project.archive_name
    if not path.exists():
        with tempfile.TemporaryDirectory(dir=downloads) as scratch:
            fetched = _download(project, Path(scratch))
            _check_digest(project, fetched)
            fetched.rename(path)
    return path


def _download(project: Project, into: Path) -> Path:
    if project.kind == "pypi":
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                   "--no-binary", ":all:", f"{project.package}=={project.version}",
                   "-d", str(into)]  # fmt: skip
    elif project.kind == "npm":
        command = ["npm", "pack", "--silent", f"{project.package}@{project.version}",
                   "--pack-destination", str(into)]  # fmt: skip
    else:
        command = ["apt-get", "download", f"{project.package}={project.version}"]
    done = subprocess.run(command, cwd=into, capture_output=True, text=True, check=False)
    if done.returncode != 0 and project.kind == "debian":
        # A fresh machine may not have apt's package lists yet.
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=False)
        done = subprocess.run(command, cwd=into, capture_output=True, text=True, check=False)
    found = [p for p in into.iterdir() if p.is_file()]
    if done.returncode != 0 or len(found) != 1:
        raise FetchError(
            f"fetching {project.package} {project.version} failed ({' '.join(command[:3])} ...): "
            + (done.stderr.strip() or done.stdout.strip() or "no archive")
        )
    return found[0]


def _check_digest(project: Project, path: Path) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != project.sha256:
        raise FetchError(
            f"{path.name} does not match its pinned digest (sha256 {digest}, "
            f"expected {project.sha256})"
        )


def sources(name: str, cache: Path | None = None) -> Path:
    """The project's files, unpacked (no git repository)."""
    project = PROJECTS[name]
    cache = cache or cache_folder()
    unpacked = cache / "sources" / f"{project.name}-{project.version}"
    if unpacked.is_dir():
        return unpacked
    packed = archive(name, cache)
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        work = Path(scratch)
        if project.kind == "debian":
            subprocess.run(["dpkg-deb", "-x", str(packed), str(work / "x")], check=True)
            top = work / "x" / project.inside
            if project.zipped:
                with zipfile.ZipFile(work / "x" / project.zipped) as zipped:
                    zipped.extractall(work / "z")
                top = work / "z" / project.inside
        else:
            with tarfile.open(packed) as tar:
                tar.extractall(work / "x", filter="data")
            (top,) = (work / "x").iterdir()
        unpacked.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(top), unpacked)
    return unpacked


def checkout(name: str, cache: Path | None = None) -> Path:
    """The project as a git repository of one commit, as a user would register it."""
    project = PROJECTS[name]
    cache = cache or cache_folder()
    repo = cache / "repos" / f"{project.name}-{project.version}"
    if (repo / ".git").is_dir():
        return repo
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        work = Path(scratch) / repo.name
        shutil.copytree(sources(name, cache), work, symlinks=True)
        _git(work, "init", "-q", "-b", "main")
        _git(work, "add", "-A")
        _git(work, "commit", "-q", "-m", f"{project.package} {project.version}")
        repo.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(work), repo)
    return repo


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", f"safe.directory={repo}", *args],
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "docsgen tests",
            "GIT_AUTHOR_EMAIL": "tests@docsgen.invalid",
            "GIT_COMMITTER_NAME": "docsgen tests",
            "GIT_COMMITTER_EMAIL": "tests@docsgen.invalid",
            "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
            "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(repo.parent),
        },
    )


if __name__ == "__main__":  # python -m tests.support.projects [NAME...]: fetch ahead of a run
    for wanted in sys.argv[1:] or list(PROJECTS):
        print(f"{wanted}: {checkout(wanted)}")
