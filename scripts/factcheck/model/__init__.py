"""Stage 1, the data model: frozen records of the content, problems as values, the rule registry,
the vocabularies, and the patterns and positions every later stage shares. Imports no other stage."""
