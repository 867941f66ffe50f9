"""Stage 2, validate: located trees → a :class:`~rmxl.model.Ledger` plus diagnostics
(one module per section: taxonomy, agreements, money, naming, publisher; knock-on triage)."""
