"""Stage 5, render: figures → what a person reads — the workbook, the report, exports,
diagnostics as text/JSON/GitHub, charts; labels, palette and escaping in one place each."""
