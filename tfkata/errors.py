"""Errors the tools report as one line (no traceback)."""


class KataError(Exception):
    """A user-facing problem: the CLI prints `kata: <message>` and exits non-zero."""
