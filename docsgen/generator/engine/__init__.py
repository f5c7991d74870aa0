"""How the generator runs fast: the engine room beside the pure pipeline.

The worker pool and the tasks it runs, shared-memory transport, what a
process remembers between runs, digests, the stores of analyses and of built
sections, and the allocator tuning.  Sections and the model never import
this package: they receive plain values (``docs/architecture.md``).
"""
