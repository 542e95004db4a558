"""Bygg: the register as a filterable table; a chosen building's grade and need over time."""

from __future__ import annotations

import pandas as pd
import panel as pn

from hmn_bygg.core.fmt import Lang
from hmn_bygg.dashboard.charts import REGION_COLOUR, TARGET_COLOUR, add_lines, new_figure
from hmn_bygg.dashboard.components import money_formatter, table_config
from hmn_bygg.dashboard.state import SessionState
from hmn_bygg.dashboard.text import hf_name, t, use_name, var_label

COLUMNS = (
    "building",
    "name",
    "hf",
    "site",
    "use",
    "floor_area",
    "built_year",
    "grade",
    "planned_disposal_year",
)


def register_frame(state: SessionState) -> pd.DataFrame:
    """Return the register as a table with today's building grade, in display words."""
    reg, lang = state.register, state.lang
    df = (
        reg[["name", "hf", "site", "use", "floor_area", "built_year", "planned_disposal_year"]]
        .to_dataframe()
        .reset_index()
    )
    first = state.results.sel(scenario=state.scenario).isel(year=0)
    grade = first["building_grade"].to_series()
    df["grade"] = df["building"].map(grade)
    df["hf"] = df["hf"].map(lambda h: hf_name(str(h), lang))
    df["use"] = df["use"].map(lambda u: use_name(str(u), lang))
    for col in ("built_year", "planned_disposal_year"):
        df[col] = [("" if pd.isna(v) else str(int(v))) for v in df[col]]
    return df[list(COLUMNS)]


def history(state: SessionState, building: str | None) -> pn.Row:
    """Return a building's grade and upgrade need over the years (empty without a choice)."""
    lang: Lang = state.lang
    if building is None:
        return pn.Row(pn.pane.Markdown(t("buildings_intro", lang)))
    s = state.results.sel(scenario=state.scenario, building=building)
    name = str(state.register["name"].sel(building=building).item())
    years = state.results["year"].to_numpy()
    live = s["in_service"].to_numpy().astype(bool)
    grade = s["building_grade"].where(s["in_service"]).to_numpy()
    need = s["upgrade_need_building"].where(s["in_service"]).to_numpy()
    f1 = new_figure(
        t("building_history", lang, name=name),
        var_label("building_grade", lang),
        lang,
        name="building-grade",
        height=280,
    )
    add_lines(f1, years[live], {name: grade[live]}, {name: REGION_COLOUR}, lang, decimals=2)
    f1.y_range.start = 0
    f1.legend.visible = False
    f2 = new_figure(
        t("building_need", lang, name=name),
        var_label("upgrade_need_building", lang),
        lang,
        name="building-need",
        height=280,
    )
    add_lines(
        f2, years[live], {name: need[live]}, {name: TARGET_COLOUR}, lang, decimals=1, unit="MNOK"
    )
    f2.y_range.start = 0
    f2.legend.visible = False
    return pn.Row(
        pn.pane.Bokeh(f1, sizing_mode="stretch_width"),
        pn.pane.Bokeh(f2, sizing_mode="stretch_width"),
        sizing_mode="stretch_width",
    )


def build(state: SessionState) -> pn.Column:
    """Return the buildings page."""
    lang: Lang = state.lang
    df = register_frame(state)
    col_keys = {
        "building": "col_id",
        "name": "col_name",
        "hf": "col_hf",
        "site": "col_site",
        "use": "col_use",
        "floor_area": "col_area",
        "built_year": "col_built",
        "grade": "col_grade",
        "planned_disposal_year": "col_disposal",
    }
    select = {"type": "list", "valuesLookup": True, "clearable": True}
    table = pn.widgets.Tabulator(
        df,
        titles={c: t(k, lang) for c, k in col_keys.items()},
        show_index=False,
        disabled=True,
        selectable=1,
        pagination="local",
        page_size=12,
        layout="fit_data_stretch",
        header_filters={
            "hf": select,
            "site": select,
            "use": select,
            "name": {"type": "input", "func": "like"},
        },
        formatters={"floor_area": money_formatter(0, lang), "grade": money_formatter(2, lang)},
        configuration=table_config(lang),
        sizing_mode="stretch_width",
    )

    def chosen(selection: list[int]) -> pn.Row:
        building = str(df.iloc[selection[0]]["building"]) if selection else None
        return history(state, building)

    return pn.Column(table, pn.bind(chosen, table.param.selection), sizing_mode="stretch_width")
