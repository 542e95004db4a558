"""Small data files in ``models/`` beside the model (price index, actuals): read and validated.

:func:`load_data_file` reads a YAML file safely (:func:`hmn_bygg.config.yaml_files.read_yaml`),
validates it against a pydantic class and turns every validation error into a
:class:`~hmn_bygg.core.errors.Problem` naming the file, the line, the key, what was expected
and what was found. The stage that uses the data owns its class (e.g.
:mod:`hmn_bygg.finance.price_basis`, :mod:`hmn_bygg.finance.actuals`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hmn_bygg.config.yaml_files import display_name, line_of, read_yaml
from hmn_bygg.core.errors import InputError, Problem

__all__ = ["load_data_file"]

T = TypeVar("T", bound=BaseModel)


def _show(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def load_data_file(path: str | Path, cls: type[T], what: str) -> T:
    """Read ``path`` and validate it as ``cls``.

    Parameters
    ----------
    path : str or Path
        The YAML file.
    cls : type of pydantic.BaseModel
        The class the file's top-level mapping must validate as.
    what : str
        What the file is, for the error title (e.g. ``"price index"``).

    Returns
    -------
    cls
        The validated, frozen data.

    Raises
    ------
    InputError
        Every problem at once, each with file, line and key.
    """
    path = Path(path)
    name = display_name(path)
    data, lines, problems = read_yaml(path)
    if not problems and not isinstance(data, dict):
        problems = [Problem(name, f"a {what} file must be a mapping", found=type(data).__name__)]
    if problems:
        raise InputError(problems, title=f"The {what} file {name} has problems")
    try:
        return cls.model_validate(data)
    except ValidationError as err:
        for e in err.errors():
            loc = tuple(str(p) for p in e["loc"])
            problems.append(
                Problem(
                    name,
                    e["msg"],
                    row=line_of(lines, loc),
                    column=".".join(loc) or None,
                    expected=None,
                    found=_show(e.get("input")),
                )
            )
    raise InputError(problems, title=f"The {what} file {name} has problems")
