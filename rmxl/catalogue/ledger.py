"""The ledger's diagnostics, by pipeline stage: every code ``rmxl validate`` (and
``rmxl build --template``) reports (:data:`rmxl.catalogue.CATALOGUE`)."""

from __future__ import annotations

from rmxl.catalogue import Kind
from rmxl.catalogue import entry as _k

KINDS: list[Kind] = [
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
    _k(
        "bad-text",
        "Text no output can hold",
        "A text holds a control character other than tab and line break, a lone surrogate "
        'or U+FFFE/U+FFFF (written with a YAML escape such as "\\x01"), which a Word '
        "document cannot hold, or has over 32,767 characters, more than an Excel cell holds; "
        "or a name, label, code or id holds a tab or line break (one line in every table).",
    ),
    _k("empty-list", "Empty list", "A list that needs at least one element is empty."),
    _k(
        "bad-id",
        "Malformed id",
        "Partner ids are lowercase letters, digits and hyphens, and never itu, multi or none "
        "(ITU's component is written by: ITU; the others are built-in buckets; spec §6), "
        "and have at most 254 characters (an Excel SUMIFS criterion holds 255).",
    ),
    _k(
        "bad-name",
        "Code or label a spreadsheet misreads",
        "Taxonomy codes and labels hold no *, ? or ~ and start with no <, > or =: the "
        "workbook's SUMIFS would read them as a wildcard or a comparison (spec §6); a "
        "code has at most 254 characters (an Excel SUMIFS criterion holds 255).",
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
