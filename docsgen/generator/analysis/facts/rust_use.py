"""Rust ``use`` trees expanded: what one ``use`` declaration names (read by the file facts
and by the call reader)."""

from __future__ import annotations

import re


def split_use_tree(tree: str) -> tuple[str, tuple[str, ...]]:
    """``a::b::{c,d::{e,f}}`` -> ("a::b", ("c", "d::e", "d::f")); ``a::b`` -> ("a::b", ())."""
    tree = re.sub(r"\s*(::|[{},])\s*", r"\1", re.sub(r"\s+", " ", tree.strip()))
    brace = tree.find("{")
    if brace < 0:
        return _drop_alias(tree).rstrip(":"), ()
    prefix = tree[:brace].rstrip(":")
    return prefix, tuple(_expand(tree[brace + 1 : tree.rfind("}")]))


def _expand(group: str) -> list[str]:
    items: list[str] = []
    depth = 0
    start = 0
    for i, c in enumerate(group + ","):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "," and depth == 0:
            item = group[start:i]
            start = i + 1
            if not item:
                continue
            inner = item.find("{")
            if inner < 0:
                items.append(_drop_alias(item))
                continue
            head = item[:inner].rstrip(":")
            for rest in _expand(item[inner + 1 : item.rfind("}")]):
                items.append(f"{head}::{rest}" if rest != "self" else head)
    return items


def _drop_alias(item: str) -> str:
    return re.sub(r"\s+as\s+\w+$", "", item)
