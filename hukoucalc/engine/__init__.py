"""The exact scoring engine: one evaluator written against a small set of column operations.

:mod:`.evaluate` walks a scheme once and builds every value through an :class:`~.ops.Ops`
backend. :mod:`.scalar` runs it on one applicant (Python integers, for ``score``); the batch
backend runs the very same walk on whole columns. :mod:`.trace` wraps a backend and records the
fields each line reads while it is evaluated (a scorecard's inputs, what a field is for). All
values are integers in a scheme-wide unit (1/D of a point, see :mod:`.units`), so no binary float
ever enters a score.
"""
