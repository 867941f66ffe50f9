"""The query errors: codes of :class:`rmxl.diagnostics.QueryError`
(:data:`rmxl.catalogue.QUERY_CATALOGUE`)."""

from __future__ import annotations

from rmxl.catalogue import Kind
from rmxl.catalogue import entry as _k

QUERY_KINDS: list[Kind] = [
    _k(
        "bad-period",
        "Not a period",
        "A period is a year (2022), a month (2023-04), a quarter (2023Q1 or 2023-Q1), a half "
        "(2023H1), a day (2023-04-30), a range (2023-01..2023-04), an Excel date or date "
        "serial (45000), in ASCII digits (spec §6).",
    ),
    _k(
        "empty-period",
        "No agreement in the period",
        "A breakdown or co-financing split of a period in which no agreement was signed has "
        "nothing to split.",
    ),
    _k(
        "empty-ledger",
        "No agreement in the ledger",
        "rmxl build has no period to show: the ledger holds no agreement.",
    ),
    _k(
        "unknown-dimension",
        "Unknown dimension",
        "Dimensions are region, priority, partner_type, membership, partner, country and "
        "currency (spec §3); the closest name is suggested.",
    ),
    _k(
        "unknown-measure",
        "Unknown measure",
        "Measures are funds, partner_funds, itu_funds, agreements, funded_agreements and "
        "partners (spec §3); the closest name is suggested.",
    ),
    _k(
        "unknown-bucket",
        "Unknown bucket",
        "The bucket is not a code or label of the dimension (a region, priority, partner "
        "type, membership category, partner, country or currency of the ledger); the "
        "closest name is suggested.",
    ),
    _k(
        "ambiguous-bucket",
        "Ambiguous bucket",
        "The name matches several buckets (a priority label used by two sectors, say): "
        "write one of the qualified names the message lists.",
    ),
    _k(
        "itu-not-partner",
        "ITU funds split by partner",
        "itu_funds is ITU's own share: it cannot be split by partner, partner type, "
        "membership or country, which describe partners.",
    ),
    _k(
        "zero-total",
        "Share of a zero total",
        "The measure's total over the period is 0, so a share of it is undefined.",
    ),
    _k(
        "bad-count",
        "Not a number of partners",
        "RM_TOP's n is a whole number of partners, 1 or more.",
    ),
    _k(
        "unknown-field",
        "Unknown RM_INFO field",
        "RM_INFO answers the fields the message lists (the ledger folder, its commit, its "
        "last change…).",
    ),
    _k(
        "unknown-function",
        "Unknown function",
        "rmxl eval knows the RM_ functions of spec §5; the closest name is suggested.",
    ),
    _k(
        "bad-argument",
        "Wrong arguments",
        "The function was given too few or too many arguments, or an argument it does not "
        "accept (a chart kind other than bar or pie).",
    ),
    _k(
        "error-argument",
        "Error value as argument",
        "A cell given as argument holds a spreadsheet error (#N/A, #VALUE!…) or NaN: it is "
        "answered as an error, never read as an omitted argument (spec §6).",
    ),
    _k(
        "range-argument",
        "Range where one value is expected",
        "An argument is a range of several cells where the function takes one value: give "
        "one cell.",
    ),
    _k(
        "bad-expression",
        "Expression cannot be read",
        'rmxl eval reads RM_ functions written as in an Excel cell: RM_SHARE("region",'
        '"Africa",2022), text in double quotes, numbers plain.',
    ),
    _k(
        "nothing-to-draw",
        "Nothing to draw",
        "Every bucket of the chart's dimension is 0 for the period, so there is no chart.",
    ),
]
