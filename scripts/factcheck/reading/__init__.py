"""Stage 2, reading: from the files of a site to the model, refusing what it does not read and
reporting every problem with its file and line. Imports only the model."""
