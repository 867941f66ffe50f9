"""Tools around the ledger: ``rmxl fmt``, ``rmxl diff``, ``rmxl import``, ``rmxl rates``."""
