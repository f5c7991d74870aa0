"""Project Structure: the directory tree with counts, big and foreign folders folded."""

from __future__ import annotations

from dataclasses import dataclass, field

from docsgen.generator.inputs import PATHS
from docsgen.generator.markdown import SectionWriter, anchor, code, fence, printable
from docsgen.generator.model import GENERATED_DIRS, VENDORED_DIRS, RepositoryModel
from docsgen.generator.sections.base import Section, SectionResult

TITLE = "Project Structure"
MAX_DEPTH = 4  # folders deeper than this are summarised by their counts
MAX_FILES_SHOWN = 12  # per folder; the rest are counted
MAX_FOLDERS_SHOWN = 40  # per folder; the rest are counted


@dataclass
class _Dir:
    name: str
    files: list[str] = field(default_factory=list)
    dirs: dict[str, _Dir] = field(default_factory=dict)
    total_files: int = 0  # in this folder and its subfolders, counted as the tree is built


def _label(name: str) -> str:
    if name in VENDORED_DIRS:
        return " — vendored, not analysed"
    if name in GENERATED_DIRS:
        return " — generated or build output, not analysed"
    return ""


def _render(d: _Dir, prefix: str, depth: int, out: list[str]) -> None:
    dirs = sorted(d.dirs.values(), key=lambda x: x.name)
    files = sorted(d.files)
    entries: list[tuple[str, _Dir | None]] = [(x.name, x) for x in dirs[:MAX_FOLDERS_SHOWN]]
    if len(dirs) > MAX_FOLDERS_SHOWN:
        hidden = dirs[MAX_FOLDERS_SHOWN:]
        n = sum(x.total_files for x in hidden)
        entries.append((f"… {len(hidden)} more folders ({n} files)", None))
    entries += [(f, None) for f in files[:MAX_FILES_SHOWN]]
    if len(files) > MAX_FILES_SHOWN:
        entries.append((f"… {len(files) - MAX_FILES_SHOWN} more files", None))
    for i, (name, sub) in enumerate(entries):
        last = i == len(entries) - 1
        branch = "└── " if last else "├── "
        if sub is None:
            out.append(f"{prefix}{branch}{printable(name)}")
            continue
        label = _label(sub.name)
        count = sub.total_files
        shown = f"{printable(sub.name)}/ ({count} file{'s' if count != 1 else ''}){label}"
        out.append(f"{prefix}{branch}{shown}")
        if not label and depth < MAX_DEPTH:
            _render(sub, prefix + ("    " if last else "│   "), depth + 1, out)


def build(model: RepositoryModel) -> SectionResult:
    w = SectionWriter(model.snapshot)
    root = _Dir(model.name)
    for f in model.files:
        *folders, filename = f.path.split("/")
        node = root
        node.total_files += 1
        for part in folders:
            node = node.dirs.get(part) or node.dirs.setdefault(part, _Dir(part))
            node.total_files += 1
        node.files.append(filename)
    lines = [f"{printable(model.name.rsplit('/', 1)[-1])}/ ({root.total_files} files)"]
    _render(root, "", 1, lines)
    w.add(
        "Files tracked at this commit (see the Overview), by folder. Counts include "
        f"subfolders; folders deeper than {MAX_DEPTH} levels and long listings are summarised."
    )
    w.add(fence("\n".join(lines), "text"))
    top = sorted(
        ((d.name, d.total_files) for d in root.dirs.values() if not _label(d.name)),
        key=lambda x: (-x[1], x[0]),
    )
    if top:
        w.add(
            "**Largest top-level folders:** "
            + ", ".join(f"{code(name + '/')} ({n} files)" for name, n in top[:5])
            + "."
        )
    vendored = [f for f in model.files if f.folder_kind]
    if vendored:
        folders = sorted({_foreign_folder(f.path) for f in vendored})
        w.add_warning(
            f"{len(vendored)} file(s) in vendored or generated folders are listed but not "
            "analysed: " + ", ".join(code(f"{p}/") for p in folders[:10])
            + (f" and {len(folders) - 10} more" if len(folders) > 10 else "") + "."
        )  # fmt: skip
    return SectionResult(TITLE, anchor(TITLE), w.markdown(), tuple(w.warnings), tuple(w.citations))


def _foreign_folder(path: str) -> str:
    parts = path.split("/")
    for i, part in enumerate(parts[:-1]):
        if part in VENDORED_DIRS or part in GENERATED_DIRS:
            return "/".join(parts[: i + 1])
    return parts[0]


# Not the commit: a new commit that adds, removes or empties no file leaves the section as is.
SECTION = Section("structure", TITLE, build, inputs=frozenset({PATHS}))
