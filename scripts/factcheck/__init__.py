"""Evidence-graded fact-checking, in five stages: model, reading, checking, site, editors.

The checker (``scripts/check_claims.py``), the MkDocs hooks (``scripts/hooks.py``) and the
build for other engines (``scripts/build.py``) all go through this package, so they validate
with the very same code and can never disagree.
"""
