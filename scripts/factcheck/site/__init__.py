"""Stage 4, the site: from a checked project to the pages and data files an engine publishes
(build.py is the one entry point). Imports the stages before it, never the editors' tools."""
