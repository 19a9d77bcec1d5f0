"""Batch triage's outside world: intake files streamed with Arrow, results written atomically, Dask.

`readers` opens CSV, TSV, Parquet and JSON Lines (a registry: one class per format), `columns`
codes Arrow columns for the triage service and turns its arrays back into Arrow, `writers`
writes Parquet or CSV under a temporary name and renames it when complete, `pipeline` streams
chunks through with flat memory, and `dask_runner` sends the chunks to a Dask cluster.
"""
