"""Known outcomes (actuals) per HF and year: the public record, or the user's ledger.

The table lives in ``models/actuals.yaml`` (named by ``model.actuals``; the rows and their
validation are :mod:`hmn_bygg.config.actuals`), or on the ``Utfall`` sheet of an LTB
workbook. The model uses the published operating results for the history years (before
``model.plan_start``): there it books exactly the published result, backing the result before
building items out of it (:func:`book_actual_results`); ``actual_result`` marks those cells.
The other rows serve the validation table and the plan-vs-outcome view
(:mod:`hmn_bygg.report.validation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np

from hmn_bygg.config import Model
from hmn_bygg.config.actuals import Actual, Actuals, load_actuals
from hmn_bygg.finance.cash import COST_ITEMS, CREDIT_ITEMS
from hmn_bygg.finance.rows import model_memo

__all__ = ["Actual", "Actuals", "actuals_for", "book_actual_results", "load_actuals"]


def actuals_for(model: Model) -> Actuals:
    """Return the actuals a model names (``model.actuals``, relative to its file; ``none``:
    no actuals; the default name falls back to the bundled file). An ``.xlsx`` file is an LTB
    workbook: its ``Utfall`` sheet holds the rows (:mod:`hmn_bygg.excel.actuals_sheet`)."""
    from hmn_bygg.excel.actuals_sheet import model_actuals

    return model_actuals(model)


def book_actual_results(
    items: dict[str, np.ndarray],
    models: Sequence[Model] | Sequence[tuple[Model, np.ndarray]],
    hfs: list[str],
    years: np.ndarray,
) -> np.ndarray:
    """Make the history years' operating results the published ones, in place.

    Parameters
    ----------
    items : dict of str to numpy.ndarray
        The cash-flow bridge inputs ``(S, H, Y)`` [MNOK/yr, nominal]; where an actual applies,
        ``operating_result_before`` becomes ``actual - credits + costs`` so that the bridge
        gives exactly the actual.
    models : list of Model, or of (Model, numpy.ndarray)
        The scenarios, in order; or each model with the rows it books
        (:meth:`hmn_bygg.finance.rows.Rows.groups`).
    hfs : list of str
        HF codes ``(H,)``.
    years : numpy.ndarray
        Model years ``(Y,)``.

    Returns
    -------
    numpy.ndarray
        ``actual_result`` (bool) ``(S, H, Y)``: where the result is a published actual.
    """
    mask = np.zeros(items["operating_result_before"].shape, dtype=bool)
    pairs = [m if isinstance(m, tuple) else (m, np.array([s])) for s, m in enumerate(models)]
    for model, at in pairs:
        actuals, plan = actuals_for(model), model.model.first_plan_year  # the file as it is now
        on = (id(actuals), plan, tuple(hfs), tuple(np.asarray(years).tolist()))
        kept, h, y, value = model_memo(
            model, ("actual results", on), partial(_kept_cells, actuals, plan, hfs, years)
        )
        if kept is not actuals:  # another Actuals at the same id (the memo's was dropped)
            h, y, value = _cells(actuals, plan, hfs, years)
        if not value.size:
            continue
        cell = (np.asarray(at, dtype=int)[:, None], h, y)  # (rows, cells)
        costs = sum(items[n][cell] for n in COST_ITEMS)
        credits = sum(items[n][cell] for n in CREDIT_ITEMS)
        items["operating_result_before"][cell] = value + costs - credits
        mask[cell] = True
    return mask


def _cells(
    actuals: Actuals, plan: int, hfs: list[str], years: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (HF, year) cells of the published operating results before the plan year, as
    indices into ``hfs`` and ``years``, and each cell's result [MNOK] (a row for several HFs
    split evenly; a later row for a cell replaces an earlier one)."""
    cells: dict[tuple[int, int], float] = {}
    for row in actuals.rows:
        if row.what != "operating_result" or row.year >= plan or row.year not in years:
            continue
        at_year = int(np.flatnonzero(years == row.year)[0])
        for hf in row.hfs:
            cells[hfs.index(hf), at_year] = row.value / len(row.hfs)
    h, y = (np.array([c[i] for c in cells], dtype=int) for i in (0, 1))
    return h, y, np.array(list(cells.values()), dtype=float)


def _kept_cells(actuals: Actuals, plan: int, hfs: list[str], years: np.ndarray) -> tuple:
    """:func:`_cells` with the actuals they come from (the memo keeps them, so that their
    ``id`` stays their own)."""
    return (actuals, *_cells(actuals, plan, hfs, years))
