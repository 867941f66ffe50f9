"""``rmxl export``: the compiled ledger as tidy tables (csv, parquet, json, xlsx) and IATI."""
