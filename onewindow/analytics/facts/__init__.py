"""The columnar copy of the analysis (docs/adr/0005): one row of facts per case, per decided review task, per
department a case concerns and per material a correction notice names, written to Parquet by a periodic job
and queried with DuckDB, the cases changed since then read live from the operational tables."""
