"""The rows the long-term budget is booked for: scenarios, or Monte Carlo draws as arrays.

A :class:`Rows` is a list of rows, each one a scenario's model (``models[of[r]]``) with some of
its numbers moved by one Monte Carlo draw each (``x[r, k]`` of the dotted key ``keys[k]``;
NaN: not moved in that row). :func:`hmn_bygg.finance.ltb.book` reads every number through
:meth:`Rows.number`, which works the leaf out once per model and then applies the draws to all
rows at once, so that booking ``D`` draws of a scenario builds no model per draw. The
deterministic run is the same code with one row per scenario and no draws
(:meth:`Rows.of_models`).

A draw moves a number as :mod:`hmn_bygg.risk.inputs` describes (:func:`shift`): ``multiply``
gives ``value · x``, ``add`` gives ``value + x``; whole numbers (years) are rounded, numbers
that are not negative stay so. Every number of a table or year path moves alike, so the draw
can be applied after the leaf is read into an array (reading only selects entries).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from hmn_bygg.config import Model

__all__ = ["ARRAY_KEYS", "Rows", "array_key", "as_index", "leaf_at", "model_memo", "once", "shift"]

ARRAY_KEYS: tuple[str, ...] = (
    "finance.projects.*.cost_mnok",
    "finance.projects.*.loan_frame_mnok",
    "finance.projects.*.savings_mnok",
    "finance.projects.*.open_year",
    "finance.state_loan.rate",
    "finance.hf_support_mnok",
    "finance.opening_liquidity_mnok",
    "finance.credit_limit_mnok",
    "finance.operating_result_before_mnok",
    "finance.existing_depreciation_mnok",
    "portfolio.sale_price_nok_per_m2",
    "portfolio.demolition_cost_nok_per_m2",
    "portfolio.disposals.delay_years",
)
"""Drawn keys the booking reads as arrays over the rows (``*``: any project); a draw of any
other finance or portfolio key is booked on a model built for its row."""


def shift(values: Any, x: Any, multiply: Any, whole: Any) -> np.ndarray:
    """Return numbers moved by draws: ``values · x`` or ``values + x`` (elementwise).

    Parameters
    ----------
    values : array_like
        The numbers of a leaf [its unit].
    x : array_like
        The draws (broadcast against ``values``).
    multiply : bool or array_like of bool
        ``True``: the draw multiplies; ``False``: it adds.
    whole : bool or array_like of bool
        The leaf holds whole numbers (years): the result is rounded (half to even).

    Returns
    -------
    numpy.ndarray
        The moved numbers; a number that was not negative is clipped at zero (whole ones are
        not clipped).

    Examples
    --------
    >>> shift(np.array([2.0, -1.0]), 0.5, False, False).tolist()
    [2.5, -0.5]
    >>> shift(np.array([2026.0]), 1.6, False, True).tolist()
    [2028.0]
    """
    values = np.asarray(values, dtype=float)
    new = np.where(multiply, values * x, values + x)
    clipped = np.where(values >= 0, np.maximum(new, 0.0), new)
    return np.where(whole, np.round(new), clipped)


def as_index(rows: np.ndarray) -> slice | np.ndarray:
    """Return row indices as a slice when they are consecutive (writing through a slice is
    many times faster than through an index array), else as they are."""
    if rows.size and rows[-1] - rows[0] + 1 == rows.size and (np.diff(rows) == 1).all():
        return slice(int(rows[0]), int(rows[-1]) + 1)
    return rows


def leaf_at(model: Any, key: str) -> Any:
    """Return the node at a dotted key of a model (a mapping's entry or a model's field)."""
    node = model
    for head in key.split("."):
        node = node[head] if isinstance(node, Mapping) else getattr(node, head)
    return node


_MEMO: dict[tuple[int, Hashable], tuple[Model, Any]] = {}
_MEMO_SIZE = 4096
_MEMO_LOCK = threading.Lock()


def model_memo(model: Model, key: Hashable, make: Callable[[], Any]) -> Any:
    """Return ``make()``, worked out once per model object and ``key`` in this process.

    Models are frozen, so what is read of one does not change; a deterministic run booked
    again (the dashboard, a benchmark) reads each number once. The memo keeps the model with
    the value (so that its ``id`` stays its own) and drops its oldest quarter past 4096
    entries. The value is shared: callers must not change it in place.
    """
    at = (id(model), key)
    hit = _MEMO.get(at)
    if hit is not None and hit[0] is model:
        return hit[1]
    value = make()
    with _MEMO_LOCK:
        if len(_MEMO) >= _MEMO_SIZE:
            for old in list(_MEMO)[: _MEMO_SIZE // 4]:
                _MEMO.pop(old, None)
        _MEMO[at] = (model, value)
    return value


def once(memo: dict, key: Hashable, make: Callable[[], Any], keep: object = None) -> Any:
    """Return ``make()``, worked out once per ``key`` in ``memo`` (a booking's or a run's);
    ``memo`` also keeps ``keep`` alive, so that an ``id`` in ``key`` stays its own."""
    if key not in memo:
        memo[key] = (keep, make())
    return memo[key][1]


def _value(leaf: Any) -> float:
    """The value of a leaf as a float (the default read of :meth:`Rows.number`)."""
    return float(leaf.value)


def _whole(value: Any) -> bool:
    """Whether every number of a leaf value is a whole number (``int``, not ``bool``)."""
    if isinstance(value, Mapping):
        return all(_whole(v) for v in value.values())
    return isinstance(value, int) and not isinstance(value, bool)


def array_key(key: str) -> bool:
    """Whether a drawn key is read as arrays over the rows (:data:`ARRAY_KEYS`)."""
    parts = key.split(".")
    return any(
        len(p := pattern.split(".")) == len(parts)
        and all(a in ("*", b) for a, b in zip(p, parts, strict=True))
        for pattern in ARRAY_KEYS
    )


@dataclass(frozen=True)
class Rows:
    """Rows of a booking: models, which model each row is, and the draws that move them.

    Parameters
    ----------
    names : tuple of str
        Row names (the ``scenario`` coordinate of the booked results).
    models : tuple of Model
        The models the rows start from.
    of : numpy.ndarray
        ``(R,)`` the model of each row (index into ``models``).
    keys : tuple of str
        Dotted keys of the drawn numbers (each in :data:`ARRAY_KEYS`).
    x : numpy.ndarray
        ``(R, K)`` the draw of each key in each row; NaN: the number is not drawn there.
    multiply : numpy.ndarray
        ``(R, K)`` bool: the draw multiplies (else it adds).
    memo : dict
        What the booking works out once per leaf object of the models (project spend
        profiles, shares, price factors; by the years, HFs and price index it is worked out
        on); rows of one run (the chunks of a Monte Carlo run) share it, and so do bookings of
        the same scenarios (:meth:`of_models`).
    """

    names: tuple[str, ...]
    models: tuple[Model, ...]
    of: np.ndarray
    keys: tuple[str, ...] = ()
    x: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    multiply: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of_models(cls, scenarios: Mapping[str, Model] | Rows) -> Rows:
        """Return one row per scenario, no draws (``scenarios`` already rows: as it is)."""
        if isinstance(scenarios, Rows):
            return scenarios
        models = tuple(scenarios.values())
        # the first model keeps the memo: booking the same scenarios again reuses it
        memo = model_memo(models[0], "booking memo", dict) if models else {}
        return cls(tuple(scenarios), models, np.arange(len(scenarios)), memo=memo)

    def __len__(self) -> int:
        return len(self.names)

    @property
    def first(self) -> Model:
        """The model of the first row (its price index and basis are the run's)."""
        return self.models[int(self.of[0])]

    def scenarios(self) -> dict[str, Model]:
        """Return the rows as a mapping of name to model (only for rows without draws)."""
        if self.keys:
            raise ValueError("rows with draws have no model per row")
        return {n: self.models[int(i)] for n, i in zip(self.names, self.of, strict=True)}

    def groups(self, rows: np.ndarray | None = None) -> list[tuple[Model, np.ndarray]]:
        """Return ``(model, rows)`` for every model used by ``rows`` (default all), in order."""
        used, where = self._used(rows)
        rows = np.arange(len(self)) if rows is None else rows
        return [(self.models[m], rows[where == i]) for i, m in enumerate(used)]

    @cached_property
    def _all_used(self) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_used` of all rows, worked out once."""
        used, where = np.unique(self.of, return_inverse=True)
        return used, where.reshape(-1)

    def _used(self, rows: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """The models ``rows`` (default all) use, in order, and each row's place among them."""
        if rows is None:
            return self._all_used
        if len(self.models) == 1:  # one model (a chunk of one scenario's draws)
            return np.zeros(1, dtype=int), np.zeros(len(rows), dtype=int)
        used, where = np.unique(self.of[rows], return_inverse=True)
        return used, where.reshape(-1)

    def per_model(
        self,
        make: Callable[[Model], Any],
        rows: np.ndarray | None = None,
        memo: Hashable | None = None,
    ) -> np.ndarray:
        """Return ``make(model)`` for each row, worked out once per model, ``(R, ...)``; with
        ``memo`` (what ``make`` reads, as a key) once per model object and process
        (:func:`model_memo`)."""
        used, where = self._used(rows)

        def made(model: Model) -> np.ndarray:
            if memo is None:
                return np.asarray(make(model), dtype=float)
            return model_memo(model, memo, lambda: np.asarray(make(model), dtype=float))

        if used.size == 1:  # one model: no stacking
            return made(self.models[int(used[0])])[None][where]
        return np.stack([made(self.models[m]) for m in used])[where]

    def number(
        self,
        key: str,
        read: Callable[[Any], Any] | None = None,
        rows: np.ndarray | None = None,
        memo: Hashable | None = None,
    ) -> np.ndarray:
        """Return the numbers of the leaf at ``key`` in each row, with the draws applied.

        Parameters
        ----------
        key : str
            Dotted key of the leaf (``finance.projects.snr.cost_mnok``).
        read : callable, optional
            Leaf → its numbers as an array (it may only select entries: the draw is applied
            after it); default its value as a float.
        rows : numpy.ndarray, optional
            The rows asked for (default all).
        memo : hashable, optional
            What ``read`` reads (e.g. the HFs and years it selects), as a key: the numbers of
            a model are then read once per process (the default ``read`` always is).

        Returns
        -------
        numpy.ndarray
            ``(len(rows), ...)`` in the leaf's unit.
        """
        if read is None:
            read, memo = _value, "value"
        tag = None if memo is None else ("number", key, memo)
        return self.moved(key, self.per_model(lambda m: read(leaf_at(m, key)), rows, tag), rows)

    def moved(self, key: str, out: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Return ``out`` (``(len(rows), ...)``, the numbers of the leaf at ``key`` as the
        rows' models hold them) with the draws of ``key`` applied, in place."""
        if key not in self.keys:
            return out
        given, rows = rows, np.arange(len(self)) if rows is None else rows
        k = self.keys.index(key)
        x = self.x[rows, k]
        drawn = np.flatnonzero(np.isfinite(x))
        if drawn.size:

            def whole_of(model: Model) -> bool:
                return _whole(leaf_at(model, key).value)

            whole = self.per_model(whole_of, given, ("whole", key))[drawn]
            extra = (1,) * (out.ndim - 1)
            out[drawn] = shift(
                out[drawn],
                x[drawn].reshape(-1, *extra),
                self.multiply[rows[drawn], k].reshape(-1, *extra),
                whole.astype(bool).reshape(-1, *extra),
            )
        return out
