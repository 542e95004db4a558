"""Generated result sections: key figures of the bundled scenarios (``docs/model.md``) and the
bundled register against the published Tabell 1 (``docs/data.md``)."""

from __future__ import annotations

from hmn_bygg.core.fmt import fmt_number

__all__ = ["render_register", "render_results"]


def render_results() -> str:
    """Return key figures of the bundled scenarios (region) in selected years.

    Returns
    -------
    str
        Markdown table: scenario, year, VTTG, upgrade need [MNOK], maintenance spent [MNOK],
        floor area [m²] for the region, computed by :func:`hmn_bygg.engine.run.run`.
    """
    from hmn_bygg.engine.run import run
    from hmn_bygg.report.tables import REGION, scenario_table

    ds = run()
    table = scenario_table(ds)
    table = table[table["entity"] == REGION]
    out = [
        f"Price basis: {ds.attrs.get('price_basis')}. Region = all three HFs.",
        "",
        "| scenario | year | VTTG | upgrade need MNOK | maintenance MNOK | area m² |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in table.itertuples():
        out.append(
            f"| `{row.scenario}` | {row.year} | {fmt_number(row.vttg, 2, 'en')} | "
            f"{fmt_number(row.upgrade_need, 0, 'en')} | "
            f"{fmt_number(row.maintenance_spend, 0, 'en')} | {fmt_number(row.area, 0, 'en')} |"
        )
    return "\n".join(out)


def render_register() -> str:
    """Return the bundled register per HF against the published Tabell 1, with discrepancies.

    Returns
    -------
    str
        Markdown table from :func:`hmn_bygg.register.summary.register_summary` of the bundled
        register,
        and the inconsistencies of the published table (:func:`published_discrepancies`).
    """
    from hmn_bygg.register.load import load_register
    from hmn_bygg.register.summary import (
        published_discrepancies,
        published_tabell1,
        register_summary,
    )

    summary = register_summary(load_register())
    published = published_tabell1()
    out = [
        "| HF | buildings | floor area m² | weighted age (yr) | VTTG (area-weighted) | "
        "published VTTG |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for hf, row in summary.iterrows():
        pub = published["grade"].get(hf) if "grade" in published else None
        out.append(
            f"| {hf} | {int(row['buildings'])} | {fmt_number(row['floor_area_m2'], 0, 'en')} | "
            f"{fmt_number(row['weighted_age_years'], 1, 'en')} | "
            f"{fmt_number(row['grade'], 3, 'en')} | {fmt_number(pub, 2, 'en')} |"
        )
    out += ["", "Inconsistencies in the published table (as the toolkit reports them):", ""]
    out += [f"- {text}" for text in published_discrepancies()]
    return "\n".join(out)
