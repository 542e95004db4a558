"""The lane kernel (rows as SIMD lanes) gives the row kernel's numbers bit for bit (issue 17).

:func:`hmn_bygg.condition.year_kernel.run_linear` runs blocks of rows through
:mod:`hmn_bygg.condition.lane_kernel`; each row must get exactly the bits it gets when it runs
alone through the row kernel (:func:`hmn_bygg.condition.year_kernel._run_rows`), whatever rows
share its lanes: any number of rows (a multiple of the lanes or not), coefficients shared or
per row, ``-0.0`` grades, buildings out of service, budgets that pay for everything or are zero,
and non-finite coefficients (where nothing may be passed over).
"""

from __future__ import annotations

import numpy as np
import pytest

from hmn_bygg.condition import lane_kernel
from hmn_bygg.condition import year_kernel as yk

HF_BUILDINGS = (3, 0, 4, 2)  # buildings per HF block (one block empty)
PARTS = 3
YEARS = 9


def _case(rng: np.random.Generator, rows: int, shared: bool, kind: str) -> tuple:
    """Arguments of ``run_linear`` for ``rows`` random rows."""
    n_b = sum(HF_BUILDINGS)
    n = n_b * PARTS
    edges = np.concatenate([[0], np.cumsum(HF_BUILDINGS) * PARTS]).astype(np.int64)
    n_h = len(HF_BUILDINGS)
    grade = rng.choice([0.0, -0.0, 1.0, 1.5, 2.0, 2.7, 3.0], (rows, n)) * (
        rng.random((rows, n)) < 0.9
    )
    grade[rng.random((rows, n)) < 0.1] = -0.0
    coef_rows = 1 if shared else rows
    inc = rng.choice([0.0, 0.05, 0.1, 0.3], (rows if rng.random() < 0.5 else 1, n))

    def mask(p: float) -> np.ndarray:
        return rng.random((rows if rng.random() < 0.7 else 1, YEARS, n_b)) < p

    wearing, elig, act = mask(0.8), mask(0.7), mask(0.85)
    scale = rng.choice([0.5, 1.0, 2.0, 4.0], (coef_rows, n))
    coef = {
        "a1": rng.uniform(0.0, 2.0, (coef_rows, n)) * (rng.random((coef_rows, n)) < 0.9),
        "a2": rng.uniform(0.0, 3.0, (coef_rows, n)),
        "weight": rng.uniform(0.0, 5.0, (coef_rows, n)),
        "scale": scale,
        "bottom": 1.0 * scale,
        "result": np.ones((1, 1)),
    }
    budget = rng.choice([0.0, 0.3, 1.0, 4.0, 50.0], (rows, n_h, YEARS))
    if kind == "pay_all":
        budget[:] = 1e9
    elif kind == "zero":
        budget[:] = 0.0
    elif kind == "non_finite":
        coef["a2"][0, rng.integers(n)] = np.inf
        coef["weight"][0, rng.integers(n)] = np.nan
    return grade, inc, wearing, elig, act, coef, budget, edges


def _bits(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x).view(np.int64)


def _run(case: tuple, lanes: bool, keep: bool) -> list[np.ndarray]:
    grade, inc, wearing, elig, act, coef, budget, edges = case
    grade = grade.copy()
    grades = np.empty((grade.shape[0], act.shape[1], grade.shape[1])) if keep else None
    old = yk._LANES
    try:
        yk._LANES = lanes
        out = yk.run_linear(grade, inc, wearing, elig, act, coef, budget, edges, 3.0, grades)
    finally:
        yk._LANES = old
    return [*out, grade] + ([grades] if keep else [])


@pytest.mark.parametrize("kind", ["random", "pay_all", "zero", "non_finite"])
@pytest.mark.parametrize("shared", [True, False])
@pytest.mark.parametrize("rows", [2, 7, lane_kernel.LANES, lane_kernel.LANES + 5, 70])
@pytest.mark.parametrize("group", [lane_kernel.LANES, 3])
def test_lanes_give_the_row_kernel_bit_for_bit(rows, shared, kind, group, monkeypatch):
    """``group``: rows handed to the lane kernel at a time (3: lanes it leaves empty)."""
    monkeypatch.setattr(yk, "LANES", group)
    rng = np.random.default_rng([rows, shared, len(kind)])
    case = _case(rng, rows, shared, kind)
    keep = rows % 2 == 1
    want = _run(case, lanes=False, keep=keep)
    got = _run(case, lanes=True, keep=keep)
    for w, g in zip(want, got, strict=True):
        assert np.array_equal(_bits(w), _bits(g))


def test_a_row_gives_the_same_bits_whatever_rows_share_its_lanes():
    rng = np.random.default_rng(5)
    grade, inc, wearing, elig, act, coef, budget, edges = _case(rng, 40, False, "random")
    alone = _run(
        (grade[3:4], inc[3:4] if inc.shape[0] > 1 else inc, wearing[3:4] if wearing.shape[0] > 1
         else wearing, elig[3:4] if elig.shape[0] > 1 else elig, act[3:4] if act.shape[0] > 1
         else act, {k: v[3:4] if v.shape[0] > 1 else v for k, v in coef.items()},
         budget[3:4], edges),
        lanes=True, keep=False,
    )  # fmt: skip
    together = _run((grade, inc, wearing, elig, act, coef, budget, edges), lanes=True, keep=False)
    for a, t in zip(alone, together, strict=True):
        assert np.array_equal(_bits(a[0]), _bits(t[3]))
