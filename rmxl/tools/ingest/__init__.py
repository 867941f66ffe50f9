"""``rmxl import``: spreadsheets → ledger agreements (docs/records.md)."""
