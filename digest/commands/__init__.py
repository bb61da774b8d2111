"""Typer sub-apps of the `digest` command, registered in digest/cli.py."""
