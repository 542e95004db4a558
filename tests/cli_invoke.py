"""Run the CLI in-process as the console script runs it, capturing everything it prints."""

from __future__ import annotations

import contextlib
import io
import sys

import pytest

from hmn_bygg.cli import main


def invoke(args: list[str]) -> tuple[int, str]:
    """Run ``hmn-bygg ARGS`` through :func:`hmn_bygg.cli.main`.

    Parameters
    ----------
    args : list of str
        The arguments after ``hmn-bygg``.

    Returns
    -------
    tuple of (int, str)
        The exit code (1 for a non-integer exit) and all output, standard output first.
    """
    err, out = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["hmn-bygg", *args]
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            with pytest.raises(SystemExit) as caught:
                main()
    finally:
        sys.argv = argv
    code = caught.value.code
    return (code if isinstance(code, int) else 1), out.getvalue() + err.getvalue()
