"""Small data files in ``models/`` beside the model (price index, actuals): read and validated.

:func:`load_data_file` reads a YAML file safely (:func:`hmn_bygg.config.yaml_files.read_yaml`),
validates it against a pydantic class and turns every validation error into a
:class:`~hmn_bygg.core.errors.Problem` naming the file, the line, the key, what was expected
and what was found. The stage that uses the data owns its class (e.g.
:mod:`hmn_bygg.finance.price_basis`, :mod:`hmn_bygg.finance.actuals`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from hmn_bygg.config.validation_errors import translate
from hmn_bygg.config.yaml_files import display_name, line_of, read_yaml
from hmn_bygg.core.errors import InputError, Problem
from hmn_bygg.core.messages import Msg, Text

__all__ = ["load_data_file"]

T = TypeVar("T", bound=BaseModel)


def load_data_file(path: str | Path, cls: type[T], what: Text) -> T:
    """Read ``path`` and validate it as ``cls``.

    Parameters
    ----------
    path : str or Path
        The YAML file.
    cls : type of pydantic.BaseModel
        The class the file's top-level mapping must validate as.
    what : str or Msg
        What the file is, for the error title (e.g. ``Msg("config.what_actuals")``).

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
        not_mapping = Msg("config.data_file_not_mapping", what=what)
        problems = [Problem(name, not_mapping, found=type(data).__name__)]
    title = Msg("config.data_file_has_problems", what=what, file=name)
    if problems:
        raise InputError(problems, title=title)
    try:
        return cls.model_validate(data)
    except ValidationError as err:
        for e in err.errors(include_url=False):
            loc = tuple(str(p) for p in e["loc"])
            message, expected, found = translate(e)
            row, column = line_of(lines, loc), ".".join(loc) or None
            problems.append(Problem(name, message, row, column, expected, found))
    raise InputError(problems, title=title)
