"""The diagnostics of the tools around the ledger and of the templates: ``rmxl import``,
``rmxl rates``, ``rmxl fmt``, the Analysis sheet's template and the report's template
(part of :data:`rmxl.catalogue.CATALOGUE`, listed after the ledger's own codes)."""

from __future__ import annotations

from rmxl.catalogue import Kind
from rmxl.catalogue import entry as _k

TOOL_KINDS: list[Kind] = [
    # rmxl import (docs/records.md): positions are FILE:Sheet!C12
    _k(
        "import-unreadable",
        "Import: not a spreadsheet",
        "The file cannot be read as .xlsx, .xls, .ods or .csv (another kind of file, or a "
        "damaged one).",
    ),
    _k(
        "import-too-large",
        "Import: file too large",
        "Spreadsheets over 50 MiB, and sheets whose cells with a value span over 10 million"
        " cells (a stray value far from the table), are not read.",
    ),
    _k("import-encrypted", "Import: password-protected", "The workbook is encrypted."),
    _k("import-no-sheet", "Import: no such sheet", "The map names a sheet the file lacks."),
    _k(
        "import-formula",
        "Import: formula without a value",
        "A cell holds a formula whose value was never computed (the file was written by a "
        "program and never recalculated); it would read as empty.",
    ),
    _k(
        "import-cell-error",
        "Import: error value in a cell",
        "A cell the map reads holds an Excel error (#N/A, #DIV/0!…, a formula that "
        "failed); every reader would see it as empty.",
    ),
    _k("import-map", "Import: bad map", "The map file is not a valid import map."),
    _k(
        "import-no-column",
        "Import: column not found",
        "A column the map names is not in the sheet's header row.",
    ),
    _k(
        "import-duplicate-column",
        "Import: two columns with one header",
        "Two columns of the header row answer to the header a field is mapped to (case, "
        "accents and spaces aside); rmxl does not guess which one is meant.",
    ),
    _k(
        "import-no-rows",
        "Import: no data",
        "The file or sheet is empty, or has a header row and no row of data under it (the "
        "wrong sheet?).",
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
        "import-repeated-row",
        "Import: a row repeats another",
        "A row is the same as an earlier one cell for cell; as one row per contribution, its "
        "amount is added again. Fine for two equal contributions, wrong for a pasted copy.",
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
        "workbook with currency code, effective date and rate), a row lacks its rate or "
        "date, or the file gives two rates for one currency and date.",
    ),
    _k(
        "ecb-no-rate",
        "No ECB rate to fill with",
        "rmxl rates fill --source ecb filled no rate for these months: the ECB publishes "
        "no reference rate for the currency, or its history ends before them; a stale rate "
        "is never used.",
        "warning",
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
    # rmxl diff (docs/ci.md): no position, the command's one line
    _k("diff-not-git", "Diff: not in git", "The ledger folder is not in a git repository."),
    _k("diff-revision", "Diff: unknown revision", "git knows no commit by that name."),
    _k(
        "diff-no-ledger", "Diff: no ledger there", "The revision has no ledger folder at that path."
    ),
    _k(
        "diff-link",
        "Diff: link leaves the repository",
        "A ledger file at the revision is a link to a place outside the repository.",
    ),
    _k("diff-invalid", "Diff: invalid side", "The ledger at one of the two revisions has errors."),
    _k("diff-git", "Diff: git failed", "git could not give the ledger's files at the revision."),
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
    _k(
        "report-reference",
        "Report: not a Word reference document",
        "The --reference-doc file, whose styles the docx report takes, is not a .docx.",
    ),
]
