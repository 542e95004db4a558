"""Results -> an Excel workbook a finance officer can use.

One sheet per topic, years as columns, one row per scenario, HF (or the region, or a project)
and variable::

    Scenario | Foretak | Størrelse | Enhet | Variabel | 2018 | 2019 | ...

The first sheet ``Om`` says what the workbook holds: scenarios, model version, price basis,
register sources and when the results were made. ``Forutsetninger`` lists every parameter of
every scenario with value, unit, price year and source, and ``Utfall`` the actuals the
model uses (HF, year, value, unit, price year, source). Topic sheets whose variables are not in the
results (e.g. the LTB before the finance model runs) are left out, and so are the rows of a
per-project variable for a project with no money for that HF. Money is MNOK at the price
basis stated on ``Om``; number formats are locale-neutral (see :mod:`hmn_bygg.excel.style`).
The figures are the Dataset's own values (no rounding; only the display is formatted).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import xarray as xr
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

import hmn_bygg
from hmn_bygg.config import Model
from hmn_bygg.core.io import write_atomic
from hmn_bygg.core.variables import glossary
from hmn_bygg.excel.actuals_sheet import SHEET as ACTUALS
from hmn_bygg.excel.actuals_sheet import model_actuals, write_actuals_sheet
from hmn_bygg.excel.style import (
    finish_table,
    number_format,
    put,
    set_widths,
    write_header,
    write_key_values,
)
from hmn_bygg.report.excel_assumptions import (  # noqa: F401  (assumption_rows: public)
    assumption_rows,
    scenario_name,
    shown_path,
    write_assumptions,
)
from hmn_bygg.report.excel_read import read_sheet
from hmn_bygg.report.excel_totals import sum_formula, total_rows
from hmn_bygg.report.excel_track import write_track_sheet
from hmn_bygg.report.excel_validation import write_validation_sheets

__all__ = ["SHEETS", "SheetSpec", "export_results", "number_format", "read_sheet"]

REGION = "Region"
ROW_HEADINGS = ("Scenario", "Foretak", "Størrelse", "Enhet", "Variabel")
FIRST_YEAR_COLUMN = len(ROW_HEADINGS) + 1
CODE_HEADING = "Scenariokode"
"""The last column (hidden, like ``Variabel``): the scenario's code, for machines."""
SKIPPED_DIMS = frozenset({"building", "part", "draw"})


@dataclass(frozen=True)
class SheetSpec:
    """One topic sheet of the results workbook.

    Parameters
    ----------
    name : str
        Sheet name (bokmål, at most 31 characters).
    description : str
        What the sheet shows (listed on ``Om``).
    variables : tuple of str
        Result variables, in row order; those missing from the Dataset are skipped.
    order : {"variable", "entity"}
        Rows grouped by variable then HF (condition tables) or by HF then variable (an LTB
        per HF).
    requires : tuple of str
        The sheet is written only when one of these variables is in the results (default:
        any of ``variables``).
    """

    name: str
    description: str
    variables: tuple[str, ...]
    order: Literal["variable", "entity"] = "variable"
    requires: tuple[str, ...] = ()


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "Tilstand",
        "Vektet teknisk tilstandsgrad (VTTG) og tilstandsindeks (FCI) per foretak og region",
        ("vttg", "fci"),
    ),
    SheetSpec("Areal", "Bruttoareal i bruk per foretak og region [m²]", ("area", "fdv_cost")),
    SheetSpec(
        "Oppgraderingsbehov",
        "Oppgraderingsbehov til TG1 (bør/må) og gjenanskaffelsesverdi [MNOK]",
        ("upgrade_need", "upgrade_need_should", "upgrade_need_must", "replacement_value_total"),
    ),
    SheetSpec(
        "Vedlikehold",
        "Vedlikeholdsbudsjett, brukt og ubrukt [MNOK]",
        ("maintenance_budget", "maintenance_spend", "maintenance_unspent"),
    ),
    SheetSpec(
        "LTB",
        "Langtidsbudsjett per foretak: resultat, avskrivninger, investeringer, lån, "
        "kontantstrøm, likviditet mot driftskreditt [MNOK]",
        (
            "operating_result_before",
            "hf_support",
            "maintenance_spend",
            "maintenance_capitalised",
            "fdv_cost",
            "project_running_cost",
            "project_savings",
            "depreciation",
            "loan_interest",
            "demolition_cost",
            "operating_result",
            "cash_from_operations",
            "investment_total",
            "investment",
            "sale_proceeds",
            "loan_drawdown",
            "loan_repayment",
            "net_cash_flow",
            "liquidity_opening",
            "liquidity_revaluation",
            "liquidity",
            "credit_limit",
            "liquidity_headroom",
        ),
        order="entity",
        requires=("liquidity", "operating_result"),
    ),
    SheetSpec(
        "Lån",
        "Låneopptak, avdrag, renter og lånesaldo [MNOK]",
        ("loan_drawdown", "loan_repayment", "loan_interest", "loan_balance"),
    ),
)
"""The topic sheets, in workbook order (after ``Om``; ``Forutsetninger`` comes last)."""


def _label(name: str, da: xr.DataArray) -> tuple[str, str]:
    entry = glossary().get(name)
    if entry is not None:
        return str(entry["label_nb"]), str(entry["units"])
    return str(da.attrs.get("label_nb", da.attrs.get("long_name", name))), str(
        da.attrs.get("units", "")
    )


def _values(da: xr.DataArray, years: np.ndarray) -> list[float | None]:
    """The values over ``years`` (broadcast when the variable has no year dim); NaN -> None."""
    if "year" in da.dims:
        data = da.reindex(year=years).to_numpy().astype(float)
    else:
        data = np.full(len(years), float(da.to_numpy()))
    return [None if not np.isfinite(v) else float(v) for v in data]


def variable_rows(ds: xr.Dataset, name: str, scenario: str) -> list[tuple[str, list[float | None]]]:
    """Return ``(entity, values by year)`` rows of one variable for one scenario.

    Parameters
    ----------
    ds : xr.Dataset
        Results.
    name : str
        Variable; dims ``scenario`` and ``year`` plus any of ``hf``, ``project`` (one row per
        member or combination); without ``year`` the value repeats in every year column.
    scenario : str
        Scenario.

    Returns
    -------
    list of (str, list)
        Entity label (HF code, project, ``"HMR / snr"``, or ``"Region"`` from ``<name>_region``)
        and one value per year of ``ds.year``; empty when the variable is missing or has a
        building/part dim.
    """
    if name not in ds or SKIPPED_DIMS & set(ds[name].dims):
        return []
    years = ds["year"].to_numpy()
    da = ds[name].sel(scenario=scenario) if "scenario" in ds[name].dims else ds[name]
    row_dims = [d for d in da.dims if d != "year"]
    rows = []
    for combo in itertools.product(*(da[d].to_numpy().tolist() for d in row_dims)):
        cell = da.sel(dict(zip(row_dims, combo, strict=True)))
        entity = " / ".join(str(c) for c in combo) if combo else REGION
        values = _values(cell, years)
        if "project" in row_dims and not any(values):
            continue  # a project with no money for this HF
        rows.append((entity, values))
    region = f"{name}_region"
    if row_dims and region in ds and not SKIPPED_DIMS & set(ds[region].dims):
        rda = ds[region].sel(scenario=scenario) if "scenario" in ds[region].dims else ds[region]
        if set(rda.dims) <= {"year"}:
            rows.append((REGION, _values(rda, years)))
    return rows


def _sheet_rows(ds: xr.Dataset, spec: SheetSpec) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for scenario in ds["scenario"].to_numpy().tolist():
        shown = scenario_name(str(scenario))
        block = []
        for name in spec.variables:
            if name not in ds:
                continue
            label, unit = _label(name, ds[name])
            for entity, values in variable_rows(ds, name, scenario):
                block.append([shown, entity, label, unit, name, *values, scenario])
        if spec.order == "entity":  # by HF (a project row "HMR / snr" goes with HMR)
            entities = list(dict.fromkeys(r[1].split(" / ")[0] for r in block))
            block.sort(key=lambda r: entities.index(r[1].split(" / ")[0]))  # stable
        rows += block
    return rows


def _write_topic(wb: Workbook, ds: xr.Dataset, spec: SheetSpec) -> bool:
    if not any(name in ds for name in spec.requires or spec.variables):
        return False
    rows = _sheet_rows(ds, spec)
    if not rows:
        return False
    ws = wb.create_sheet(spec.name)
    years = [int(y) for y in ds["year"].to_numpy()]
    write_header(ws, [*ROW_HEADINGS, *years, CODE_HEADING])
    hfs = [str(h) for h in ds["hf"].to_numpy()] if "hf" in ds.dims else []
    first = FIRST_YEAR_COLUMN - 1
    totals = total_rows(rows, 1, (len(rows[0]) - 1, 4), hfs, first, len(years), REGION)
    for i, row in enumerate(rows):
        r = i + 2
        fmt = number_format(row[3])
        for c, value in enumerate(row, start=1):
            year_cell = FIRST_YEAR_COLUMN <= c < FIRST_YEAR_COLUMN + len(years)
            if year_cell and i in totals:  # the sum of the HF rows, as Excel shows it
                cell = ws.cell(row=r, column=c, value=sum_formula(c, [p + 2 for p in totals[i]]))
            else:
                cell = put(ws, r, c, value)
            if year_cell:
                cell.number_format = fmt
    set_widths(ws, [26, 12, 42, 10, 24, *([10] * len(years)), 14])
    for hidden in (len(ROW_HEADINGS), len(ROW_HEADINGS) + len(years) + 1):  # codes for machines
        ws.column_dimensions[get_column_letter(hidden)].hidden = True
    finish_table(ws, len(ROW_HEADINGS) + len(years) + 1, "F2")
    return True


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in np.atleast_1d(np.asarray(value, dtype=object)).tolist()]


def _about_rows(
    ds: xr.Dataset, written: Sequence[SheetSpec], has_assumptions: bool, made: str | None
) -> list[tuple[str, Any]]:
    scen = ", ".join(scenario_name(str(s)) for s in ds["scenario"].to_numpy().tolist())
    years = ds["year"].to_numpy()
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    rows: list[tuple[str, Any]] = [
        ("Scenario(er)", scen),
        ("Modellversjon", f"hmn_bygg {hmn_bygg.__version__}"),
        ("Prisgrunnlag", str(ds.attrs.get("price_basis", "ukjent"))),
        ("År", f"{int(years[0])}–{int(years[-1])}"),
        (
            "Registerkilder",
            "\n".join(map(shown_path, _as_list(ds.attrs.get("register_sources")))) or "ukjent",
        ),
        ("Modellfil", shown_path(ds.attrs.get("model_file")) or "ukjent"),
        ("Resultater laget", made or str(ds.attrs.get("run_at", "ukjent"))),
        ("Eksportert", now),
    ]
    if "vttg_target" in ds.attrs:
        rows.append(("VTTG-mål", float(ds.attrs["vttg_target"])))
    if "area_target_m2" in ds.attrs:
        rows.append(("Arealmål [m²]", float(ds.attrs["area_target_m2"])))
    rows.append(
        (
            "Tallformat",
            "Beløp i MNOK med én desimal, areal i m², VTTG med to desimaler. Formatene er "
            "nøytrale (#,##0.0): norsk Excel viser 1 234,5, engelsk Excel 1,234.5. Cellene "
            "har modellens presisjon (om lag 16 sifre).",
        )
    )
    rows += [(f"Ark: {s.name}", s.description) for s in written]
    if has_assumptions:
        rows.append(("Ark: Forutsetninger", "Alle parametre per scenario: verdi, enhet, "
                     "prisår, kilde"))  # fmt: skip
        rows.append((f"Ark: {ACTUALS}", "Kjente utfall (models/actuals.yaml) som modellen "
                     "bruker: foretak, år, verdi, enhet, prisår, kilde"))  # fmt: skip
    else:
        rows.append(("Forutsetninger", "ikke med: scenarienes modell var ikke tilgjengelig"))
    return rows


def export_results(
    ds: xr.Dataset,
    target: str | Path,
    *,
    scenarios: Mapping[str, Model] | None = None,
    made: str | None = None,
) -> Path:
    """Write results to an Excel workbook (atomically).

    Parameters
    ----------
    ds : xr.Dataset
        Results of :func:`hmn_bygg.engine.run.run` (or read back from netCDF).
    target : str or Path
        The ``.xlsx`` file to write.
    scenarios : mapping of str to Model, optional
        The scenarios' models, for the ``Forutsetninger`` sheet; scenarios of ``ds`` missing
        from it are left out of that sheet, and without it the sheet is not written.
    made : str, optional
        When the results were made (default ``ds.attrs["run_at"]`` if present).

    Returns
    -------
    pathlib.Path
        ``target``.

    Examples
    --------
    >>> from hmn_bygg.engine.run import run                                  # doctest: +SKIP
    >>> export_results(run(), "out/resultater.xlsx")                  # doctest: +SKIP
    """
    wb = Workbook()
    about = wb.active
    about.title = "Om"
    written = [spec for spec in SHEETS if _write_topic(wb, ds, spec)]
    names = [str(s) for s in ds["scenario"].to_numpy().tolist()]
    chosen = {n: scenarios[n] for n in names if scenarios is not None and n in scenarios}
    if chosen:
        write_assumptions(wb, chosen)
        write_actuals_sheet(wb, model_actuals(next(iter(chosen.values()))))
    prices = str(ds.attrs.get("prices", "nominal"))
    extra = write_validation_sheets(wb, chosen, prices)
    rows = _about_rows(ds, written, bool(chosen), made)
    rows += [(f"Ark: {n}", "Offentlige tall mot modellen (prisgrunnlaget over)") for n in extra]
    rows += [
        (f"Ark: {n}", "Registrert VTTG mot planen, med årsaker")
        for n in write_track_sheet(wb, chosen)
    ]
    write_key_values(about, rows, "hmn_bygg: resultater")
    return write_atomic(target, wb.save)
