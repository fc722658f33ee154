"""Batch work on columns (polars): reading, validating, scoring and ranking whole pools.

The scoring itself is the one evaluator of :mod:`hukoucalc.engine.evaluate`, run with
:class:`~.columns.ColumnOps`: ``score`` and ``rank`` share every rule.
"""
