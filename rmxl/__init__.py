"""rmxl: the partnerships ledger."""
