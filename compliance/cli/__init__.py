"""The `compliance` command line."""
