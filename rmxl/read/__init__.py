"""Stage 1, read: the ledger folder → located YAML trees, one per file (files, identity,
compose and fastread parsers, one scalar table, the text rule)."""
