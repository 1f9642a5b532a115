"""The `runwalk` command: the parser and one module per command."""
