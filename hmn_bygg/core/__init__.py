"""Foundation shared by every stage: errors, paths, number formatting, safe writes, limits.

Nothing here knows about buildings or money; every other package may import from here, and
this package imports from no other part of hmn_bygg.

- :mod:`.errors`: :class:`~hmn_bygg.core.errors.Problem` and
  :class:`~hmn_bygg.core.errors.InputError`, the one way a user learns what is wrong;
- :mod:`.paths`: where the bundled model and register live;
- :mod:`.fmt`: Norwegian and English number formatting (``709 769``, ``1,35``);
- :mod:`.io`: atomic, fsynced writes of output files;
- :mod:`.limits`: the stated size limits of inputs;
- :mod:`.variables`: the glossary of output variables (dims, unit, description);
- :mod:`.assemble`: a results Dataset built once from aligned variables (no merge);
- :mod:`.lazy`: lazy re-exports for the stage packages;
- :mod:`.lazy_dask`: xarray without importing dask until something uses dask.
"""
