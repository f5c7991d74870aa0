"""The documentation's sections, in the order they appear."""

from __future__ import annotations

from docsgen.generator.sections import api_reference, overview, structure
from docsgen.generator.sections.base import Section, SectionResult

SECTIONS: tuple[Section, ...] = (overview.SECTION, structure.SECTION, api_reference.SECTION)

__all__ = ["SECTIONS", "Section", "SectionResult", "section_by_key"]


def section_by_key(key: str) -> Section:
    for section in SECTIONS:
        if section.key == key:
            return section
    raise KeyError(key)
