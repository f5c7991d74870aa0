"""The generator: a snapshot in, documentation out (see ``pipeline``)."""

from docsgen.generator.version import GENERATOR_VERSION

__all__ = ["GENERATOR_VERSION"]
