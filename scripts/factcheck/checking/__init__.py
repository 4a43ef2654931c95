"""Stage 3, checking: the engine that runs every rule family over what was read, and the report
the checker prints and the build obeys. Imports the model and reading."""
