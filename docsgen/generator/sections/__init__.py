"""The documentation's sections, in the order they appear."""

from __future__ import annotations

from docsgen.generator.sections import (
    api_reference,
    architecture,
    configuration,
    dependencies,
    getting_started,
    how_it_works,
    http_interface,
    overview,
    structure,
)
from docsgen.generator.sections.base import Section, SectionResult

SECTIONS: tuple[Section, ...] = (
    overview.SECTION,
    getting_started.SECTION,
    how_it_works.SECTION,
    structure.SECTION,
    architecture.SECTION,
    api_reference.SECTION,
    configuration.SECTION,
    http_interface.SECTION,
    dependencies.SECTION,
)

__all__ = ["SECTIONS", "Section", "SectionResult", "section_by_key"]


def section_by_key(key: str) -> Section:
    for section in SECTIONS:
        if section.key == key:
            return section
    raise KeyError(key)
