"""Evidence-graded fact-checking: the data model, loading, rules and rendering.

Both the checker (``scripts/check_claims.py``) and the MkDocs hooks
(``scripts/hooks.py``) import this package, so they validate with the very
same code and can never disagree.
"""
