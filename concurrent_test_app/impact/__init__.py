"""Which tests a change can affect: per-test records of executed code, and the selection.

``blocks`` cuts a source file into hashed blocks; ``record`` is the impact record
(``impact.json``) and its checks; ``recording`` measures a run with coverage.py and
combines the workers' parts; ``changes`` asks git what changed; ``selection`` turns both
into the tests ``--changed`` runs.
"""
