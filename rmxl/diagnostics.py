"""Diagnostics as data: one frozen record per problem, stable codes in one catalogue.

Every stage of the pipeline (read → validate → compile → query) reports problems as
:class:`Diagnostic` values instead of raising mid-way, so ``rmxl validate`` can show
them all at once. Renderers (text, JSON, GitHub annotations) are views of the same list.

The catalogue :data:`CATALOGUE` is the single source of codes; ``docs/errors.md`` is
generated from it (``rmxl errors --markdown``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "note"]
"""``note``: not a problem of its own (the count of suppressed knock-ons); never fails."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record or value was written: a file path and a 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Kind:
    """One entry of the catalogue: a stable kebab-case code, its severity and meaning."""

    code: str
    severity: Severity
    title: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a ledger.

    ``code`` is a key of :data:`CATALOGUE`; ``source`` points at the offending value
    (``None`` only for problems about the ledger as a whole, e.g. an empty folder);
    ``hint`` suggests a fix ("did you mean 'africa'?") or is empty. ``knock_on`` marks a
    consequence of another diagnostic, which validation suppresses and counts
    (:mod:`rmxl.validate.knockon`); no diagnostic it returns has it set.
    """

    code: str
    severity: Severity
    message: str
    source: Source | None
    hint: str = ""
    knock_on: bool = False

    def sort_key(self) -> tuple[str, int, int, str]:
        if self.source is None:
            return ("", 0, 0, self.code)
        return (self.source.file, self.source.line, self.source.column, self.code)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape: code, severity, message, file, line, column, hint."""
        src = self.source
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": src.file if src else None,
            "line": src.line if src else None,
            "column": src.column if src else None,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        text = f"{where}{self.severity}[{self.code}]: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def _k(code: str, title: str, explanation: str, severity: Severity = "error") -> Kind:
    return Kind(code, severity, title, explanation)


_KINDS = [
    # reading
    _k("ledger-not-found", "Ledger folder not found", "The --ledger folder does not exist."),
    _k("ledger-empty", "No ledger files", "The folder holds no *.yaml or *.yml file."),
    _k("file-unreadable", "File cannot be read", "The file could not be opened or read."),
    _k(
        "link-loop",
        "Link loop",
        "A symbolic link in the ledger folder leads back to a folder that holds it, or to "
        "itself; it is not followed (spec §6: links are followed, a loop is an error).",
    ),
    _k("encoding", "Not UTF-8", "Ledger files must be UTF-8 (a BOM is tolerated)."),
    _k(
        "yaml-syntax",
        "YAML syntax error",
        "The file is not well-formed YAML (a tab in the indentation, an unclosed bracket or "
        "quote, a control character, an undefined alias, a second document).",
    ),
    _k(
        "yaml-tag",
        "Unsupported YAML tag",
        "Only plain YAML 1.2 data is read; tags such as "
        "!!python/object are refused and never constructed.",
    ),
    _k("yaml-duplicate-key", "Duplicate key", "The same key appears twice in one mapping."),
    _k(
        "yaml-too-large",
        "Document too large",
        "The file is over 32 MiB, nests lists and mappings deeper than 64 levels, or its "
        "aliases repeat over 100,000 values (an alias bomb); it is not read further.",
    ),
    # structure
    _k(
        "file-not-mapping",
        "File is not a mapping",
        "A ledger file holds a mapping of sections "
        "(taxonomy, partners, rates, agreements), or nothing.",
    ),
    _k(
        "unknown-section",
        "Unknown section",
        "Top-level keys are taxonomy, partners, rates, agreements and reporting_org.",
    ),
    _k(
        "unknown-key",
        "Unknown key",
        "A record has a key the format does not define; keys that "
        "start with x_ are allowed and ignored.",
    ),
    _k("missing-key", "Missing required key", "A required key of the record is absent."),
    _k(
        "wrong-type",
        "Wrong type",
        "A value is not of the type the format requires, or a number, boolean or null "
        "cannot be read as one (!!int abc, a number of 5,000 digits).",
    ),
    _k("empty-list", "Empty list", "A list that needs at least one element is empty."),
    _k(
        "bad-id",
        "Malformed id",
        "Partner ids are lowercase letters, digits and hyphens, and never itu, multi or none "
        "(ITU's component is written by: ITU; the others are built-in buckets; spec §6).",
    ),
    _k(
        "bad-name",
        "Code or label a spreadsheet misreads",
        "Taxonomy codes and labels hold no *, ? or ~ and start with no <, > or =: the "
        "workbook's SUMIFS would read them as a wildcard or a comparison (spec §6).",
    ),
    _k("bad-date", "Not a date", "Dates are written YYYY-MM-DD and must exist in the calendar."),
    _k(
        "duplicate-id",
        "Duplicate id",
        "A record id or code is defined twice in the ledger, or two codes or labels of one "
        "vocabulary differ only by case or spaces (buckets are named, and SUMIFS compares, "
        "ignoring both: spec §6), or one is a built-in bucket's (multi, none).",
    ),
    _k(
        "duplicate-section",
        "Section defined twice",
        "A taxonomy vocabulary or a rate entry is given in two places.",
    ),
    # taxonomy
    _k(
        "taxonomy-missing",
        "Taxonomy missing",
        "The ledger needs a taxonomy with regions, partner_types, membership and action_plans.",
    ),
    _k(
        "taxonomy-group",
        "Bad membership group",
        'A membership group (the report\'s "ITU-D Sector Members (SIO and ROA)") lists two '
        "or more codes of the membership vocabulary, each in one group at most.",
    ),
    _k("plan-overlap", "Action plans overlap", "Two action plans are in force on the same day."),
    _k(
        "plan-dates",
        "Action plan dates",
        "An action plan ends before it starts, or a plan other than the last has no end date.",
    ),
    # references
    _k("unknown-partner", "Unknown partner", "The id is not defined in the partners section."),
    _k("unknown-region", "Unknown region", "The code is not a region of the taxonomy."),
    _k(
        "unknown-priority",
        "Unknown thematic priority",
        "The code is not a priority of any action plan.",
    ),
    _k(
        "priority-wrong-plan",
        "Priority of another action plan",
        "A thematic priority must belong to the action plan in force on the signed date.",
    ),
    _k("no-action-plan", "No action plan in force", "No action plan covers the signed date."),
    _k("unknown-partner-type", "Unknown partner type", "Not a partner_types code."),
    _k("unknown-membership", "Unknown membership category", "Not a membership code."),
    _k("unknown-country", "Unknown country", "Not an ISO 3166-1 alpha-2 country code."),
    _k("unknown-currency", "Unknown currency", "Not an ISO 4217 currency code."),
    _k(
        "unknown-iati-type",
        "Unknown IATI organisation type",
        "Not a code of the IATI OrganisationType codelist (10 Government, 40 Multilateral, "
        "70 Private Sector, 80 Academic…; see docs/ledger-format.md).",
    ),
    _k(
        "duplicate-reference",
        "Listed twice",
        "A partner, region or priority is listed twice in one agreement.",
    ),
    # money
    _k(
        "bad-amount",
        "Invalid amount",
        "Amounts are positive numbers up to 10^15, of at most 15 significant digits and 4 "
        "decimals (spec §6; docs/semantics.md, Money).",
    ),
    _k(
        "bad-rate",
        "Invalid rate",
        "Rates are numbers of currency units per USD from 0.000001 to 1,000,000,000, of at "
        "most 15 significant digits (spec §6; docs/semantics.md, Money).",
    ),
    _k(
        "funds-too-large",
        "Funds beyond exact figures",
        "The ledger's contributions total USD 10^13 or more: no figure could then be "
        "guaranteed exact to the cent in 15 digits (a spreadsheet cell's, spec §6).",
    ),
    _k(
        "unknown-rate-source",
        "Unknown rate source",
        "A rate entry's source is un (UN operational rate of exchange) or ecb (ECB euro "
        "reference rate, filled by rmxl rates fill).",
    ),
    _k(
        "contributor-not-partner",
        "Contributor is not a partner",
        "A contribution's `by` must be one of the agreement's partners, or ITU.",
    ),
    _k(
        "rate-missing",
        "No exchange rate",
        "No rate for the currency is effective on or before "
        "the signed date, so the USD value cannot be computed.",
    ),
    # warnings
    _k(
        "rate-stale",
        "Stale exchange rate",
        "The rate applied is more than 62 days older than the signed date.",
        "warning",
    ),
    _k(
        "possible-duplicate",
        "Possible double entry",
        "Two agreements have the same partner, signed date and amount.",
        "warning",
    ),
    _k("future-date", "Signed in the future", "The signed date is after today.", "warning"),
    _k(
        "awkward-id",
        "Agreement id hard to use",
        "An agreement id holds a space or a character other than letters, digits, '.', '_' "
        "and '-', or starts with one of those three: it breaks links and file names, and "
        "spreadsheets read * ? ~ as wildcards and a leading - as a formula.",
        "warning",
    ),
    _k(
        "rate-jump",
        "Exchange rate jumps",
        "From one entry of a currency to the next the rate moves by more than half, or to "
        "about the inverse of the previous one (a rate written USD per unit).",
        "warning",
    ),
    _k(
        "amount-outlier",
        "Amount far above all others",
        "In a ledger of 10 or more contributions, one is worth 100 times the next largest "
        "or more, in USD (extra zeros?).",
        "warning",
    ),
    _k("unused-partner", "Unused partner", "No agreement names this partner.", "warning"),
    _k(
        "knock-on",
        "Knock-on diagnostics not shown",
        "A file or section that could not be read (a syntax error, a misspelt section, a "
        "record without a readable id, a refused rate) makes every diagnostic that depends "
        "on it a consequence, not a mistake of its own: those are counted, not shown, and the "
        "cause is listed first (docs/semantics.md, Validation).",
        "note",
    ),
    # rmxl import (docs/records.md): positions are FILE:Sheet!C12
    _k(
        "import-unreadable",
        "Import: not a spreadsheet",
        "The file cannot be read as .xlsx, .xls, .ods or .csv (another kind of file, or a "
        "damaged one).",
    ),
    _k("import-too-large", "Import: file too large", "Spreadsheets over 50 MiB are not read."),
    _k("import-encrypted", "Import: password-protected", "The workbook is encrypted."),
    _k("import-no-sheet", "Import: no such sheet", "The map names a sheet the file lacks."),
    _k(
        "import-formula",
        "Import: formula without a value",
        "A cell holds a formula whose value was never computed (the file was written by a "
        "program and never recalculated); it would read as empty.",
    ),
    _k("import-map", "Import: bad map", "The map file is not a valid import map."),
    _k(
        "import-no-column",
        "Import: column not found",
        "A column the map names is not in the sheet's header row.",
    ),
    _k("import-missing-value", "Import: empty cell", "A required field's cell is empty."),
    _k("import-bad-date", "Import: not a date", "The cell cannot be read as a date."),
    _k(
        "import-bad-amount",
        "Import: not an amount",
        "The cell cannot be read as an amount and currency.",
    ),
    _k(
        "import-unknown-partner",
        "Import: unknown partner",
        "The name matches no partner, exactly or case- and accent-insensitively.",
    ),
    _k(
        "import-unknown-code",
        "Import: unknown label",
        "A region, priority, country or currency matches no code or label.",
    ),
    _k(
        "import-conflict",
        "Import: rows of one agreement disagree",
        "Rows with the same agreement id (or title, date and partners) give different values.",
    ),
    _k(
        "import-contributor",
        "Import: whose contribution?",
        "An amount on a row with several partners and no 'by' column.",
    ),
    _k(
        "import-unknown-agreement",
        "Import: contribution of an unknown agreement",
        "A contributions row names an agreement id the agreements sheet lacks.",
    ),
    _k(
        "import-differs",
        "Import: differs from the ledger",
        "The agreement is already in the ledger with other values; it is not overwritten.",
        "warning",
    ),
    _k(
        "import-cannot-append",
        "Import: file cannot be appended to",
        "The agreements file of that year does not end with a block list of agreements.",
    ),
    # rmxl rates (docs/records.md)
    _k(
        "rates-file",
        "Rates file cannot be read",
        "The file is not a UN Treasury operational rates file (tab-separated, CSV, XML or a "
        "workbook with currency code, effective date and rate), or a row lacks its rate or "
        "date.",
    ),
    _k(
        "rate-disagrees",
        "Rate differs from the ledger's",
        "The file gives another rate for a currency and date the ledger already has; the "
        "ledger's entry is kept.",
        "warning",
    ),
    # the Analysis sheet's template (rmxl build; docs/workbook.md, "The template")
    _k(
        "template-missing-key",
        "Template: missing key",
        "The template needs 'analysis'; a section 'section' and 'questions'; a question "
        "'label', 'formula' and 'format'.",
    ),
    _k(
        "template-unknown-key",
        "Template: unknown key",
        "A key the template format does not define; keys that start with x_ are allowed "
        "and ignored.",
    ),
    _k(
        "template-wrong-type",
        "Template: wrong type",
        "The template is a mapping, 'analysis' a list of sections, a title, label or "
        "formula text, 'per_period' true or false, 'questions' a list of at least one.",
    ),
    _k(
        "template-formula",
        "Template: formula cannot be read",
        'A formula is one RM_ function call as written in a cell, =RM_SHARE("region",'
        '"Africa",{period}), with the number of arguments the function takes.',
    ),
    _k(
        "template-function",
        "Template: not an RM_ function",
        "The Analysis sheet asks rmxl's functions only: RM_SHARE, RM_TOTAL, RM_BREAKDOWN, "
        "RM_TOP, RM_INFO.",
    ),
    _k(
        "template-argument",
        "Template: unknown name in a formula",
        "A dimension, measure or period written in a formula does not exist (spec §3).",
    ),
    _k(
        "template-format",
        "Template: bad format",
        "A format is money, count, percent, text or table; table is for the functions "
        "that give tables (RM_BREAKDOWN, RM_TOP, RM_INFO()) and only for them.",
    ),
    _k(
        "template-placeholder",
        "Template: bad placeholder",
        "{period} belongs in the formulas of a section with per_period: true, {bucket} in "
        "those of a section with each, unquoted; no other name in braces.",
    ),
    _k(
        "template-each",
        "Template: 'each' is not a taxonomy dimension",
        "A section goes through the buckets of region, priority, partner_type or membership.",
    ),
    # rmxl fmt (README, "Formatting")
    _k(
        "fmt-refused",
        "Formatting refused",
        "rmxl fmt leaves the file untouched: formatting it would lose a comment (one inside "
        "[...] or {...}, say), move a comment to another record, or change the data. The "
        "diagnostic points at the comment or key concerned; its hint says what to change "
        "by hand.",
    ),
    # the report's template (rmxl report --template; docs/report.md, "The template")
    _k(
        "report-template-syntax",
        "Report template: cannot be read",
        "A figure is {{ RM_…(…) | format }} on one line, a block {% name(args) %} alone on "
        "its line, a comment {# … #} closed, the title block 'Label: value' lines between "
        "two '---' lines, a heading '# Title' or '## Title'.",
    ),
    _k(
        "report-template-function",
        "Report template: not one value of an RM_ function",
        "A figure calls one of rmxl's functions (RM_SHARE, RM_TOTAL, RM_INFO …) for one "
        "value; tables are placed with blocks ({% top(3, 2022) %}).",
    ),
    _k(
        "report-template-argument",
        "Report template: unknown name or period",
        "A dimension, bucket, measure or period written in a figure or block does not exist "
        "in the ledger, or a block's period has no agreements.",
    ),
    _k(
        "report-template-format",
        "Report template: bad format",
        "A figure's format is count, number, usd, usd_millions, around_usd, percent, "
        "percent1 or text, and fits the value (a share needs percent or percent1).",
    ),
    _k(
        "report-template-block",
        "Report template: unknown block",
        "A block is section, headline, cofinancing, partner_types, membership, top, "
        "regions, priorities or comparison, with the arguments it takes.",
    ),
]

CATALOGUE: dict[str, Kind] = {k.code: k for k in _KINDS}
"""The ledger's diagnostics: what ``rmxl validate`` (and ``rmxl build --template``) report."""

_QUERY_KINDS = [
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

QUERY_CATALOGUE: dict[str, Kind] = {k.code: k for k in _QUERY_KINDS}
"""The query errors: codes of :class:`QueryError`, raised by ``rmxl eval``, the RM_
functions, ``rmxl report`` and ``rmxl build`` for a question the ledger cannot answer."""


def describe(code: str) -> Kind | None:
    """The catalogue entry of a diagnostic or query-error ``code``, or None."""
    return CATALOGUE.get(code) or QUERY_CATALOGUE.get(code)


def make(code: str, message: str, source: Source | None, hint: str = "") -> Diagnostic:
    """Build a :class:`Diagnostic` for a catalogued ``code`` (KeyError if not catalogued)."""
    return Diagnostic(code, CATALOGUE[code].severity, message, source, hint)


def closest_name(
    value: object, choices: Iterable[str], aliases: Mapping[str, str] | None = None
) -> str | None:
    """The one of ``choices`` that ``value`` most likely means, for a "did you mean"
    hint: the choice equal to it ignoring case and surrounding spaces, else the closest by
    :func:`difflib.get_close_matches` (ratio 0.6 or more, case-insensitive), else None.
    ``aliases`` (e.g. label → code) are matched too and give their target
    (``Asia-Pacific`` → ``asia-pacific``). The one suggestion rule of validate's hints
    and of query errors."""
    low: dict[str, str] = {}
    for c in choices:
        low.setdefault(c.lower(), c)
    for alias, target in (aliases or {}).items():
        low[alias.lower()] = target
    v = str(value).strip().lower()
    if v in low:
        return low[v]
    hit = difflib.get_close_matches(v, list(low), n=1, cutoff=0.6)
    return low[hit[0]] if hit else None


class LedgerError(Exception):
    """Raised by whole-pipeline helpers when a ledger has errors; carries them all."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        first = str(errors[0]) if errors else "ledger has errors"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)


class QueryError(ValueError):
    """A question the ledger cannot answer as asked (unknown bucket, bad period, empty
    period, zero total…), raised by the query stage (:mod:`rmxl.query`). ``code`` is a
    stable kebab-case code of :data:`QUERY_CATALOGUE` (``rmxl errors`` lists them);
    ``str(e)`` is a one-line message that says what was wrong and what is accepted."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
