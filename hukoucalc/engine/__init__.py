"""The exact scoring engine: one evaluator written against a small set of column operations.

:mod:`.evaluate` walks a scheme once and builds every value through an :class:`~.ops.Ops`
backend. :mod:`.scalar` runs it on one applicant (Python integers, for ``score``); the batch
backend runs the very same walk on whole columns. All values are integers in a scheme-wide unit
(1/D of a point, see :mod:`.units`), so no binary float ever enters a score.
"""
