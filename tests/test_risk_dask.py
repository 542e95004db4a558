"""Monte Carlo ensembles on a dask.distributed cluster: same numbers as in memory."""

from __future__ import annotations

import pytest
import xarray as xr

from hmn_bygg.config import load_model
from hmn_bygg.risk.ensemble import run_ensemble
from tests.conftest import RISK_FIXTURE as FIXTURE
from tests.conftest import one_building


@pytest.mark.slow
@pytest.mark.parametrize("processes", [False, True])
def test_local_cluster_gives_the_in_memory_result(processes, tmp_path):
    import distributed  # a dependency (dask[distributed]): missing, the test errors

    models = {"m": load_model(FIXTURE)}
    reg = one_building(3.0)
    mem = run_ensemble(
        models, reg, draws=30, seed=21, chunk_draws=30, scheduler="sync", book=False, quiet=True
    )
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=processes,
        dashboard_address=":0",  # a free port: 8787 may be taken on a shared machine
        host="127.0.0.1",
        protocol="tcp://",  # threads in this process too: over loopback, not in-process
    ) as cluster:
        with distributed.Client(cluster) as client:
            on_client = run_ensemble(
                models,
                reg,
                draws=30,
                seed=21,
                chunk_draws=7,
                scheduler=client,
                book=False,
                quiet=True,
            )
        by_address = run_ensemble(
            models,
            reg,
            draws=30,
            seed=21,
            chunk_draws=11,
            scheduler=cluster.scheduler_address,
            book=False,
            quiet=True,
            store=tmp_path / "ens",
        )
        xr.testing.assert_identical(mem, on_client)
        xr.testing.assert_equal(mem, by_address.compute())
        by_address.close()
