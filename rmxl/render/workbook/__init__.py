"""The Excel workbook of ``rmxl build``: data tables, breakdowns, summary, charts, Analysis."""
