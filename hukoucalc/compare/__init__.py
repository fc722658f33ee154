"""``hukoucalc compare``: one applicant pool under several schemes, the first one the baseline.

:mod:`.pool` reads and validates the pool once and ranks it under each scheme; :mod:`.stats`,
:mod:`.movers` and :mod:`.composition` compute the figures; :mod:`.job` puts them into the
JSON document of ``compare``.
"""
