"""The ledger's diagnostics, by pipeline stage: every code ``rmxl validate`` (and
``rmxl build --template``) reports (:data:`rmxl.catalogue.CATALOGUE`)."""

from __future__ import annotations

from rmxl.catalogue import Kind
from rmxl.catalogue import entry as _k
from rmxl.catalogue.tools import TOOL_KINDS

KINDS: list[Kind] = [
    # reading
    _k(
        "ledger-not-found",
        "Ledger folder not found",
        "The --ledger folder does not exist, is a file rather than a folder, or the system "
        "refuses to look at it (a name too long, a loop of links, no permission on the way).",
    ),
    _k("ledger-empty", "No ledger files", "The folder holds no *.yaml or *.yml file."),
    _k(
        "file-unreadable",
        "File cannot be read",
        "The file could not be opened or read, or an entry named as a ledger file "
        "(*.yaml, *.yml) is not a regular file (a folder, a FIFO, a device behind a link): "
        "it is not read.",
    ),
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
        "!!python/object are refused and never constructed, and a merge key '<<' is not "
        "merged. A refused key is this one error: the record's missing keys are knock-ons.",
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
    _k(
        "unknown-country",
        "Unknown country",
        "Not an ISO 3166-1 alpha-2 country code. A code ISO 3166-3 lists as withdrawn (YU, "
        "AN, ZR…) says so, when, and which code replaced it, if a single one did.",
    ),
    _k("unknown-currency", "Unknown currency", "Not an ISO 4217 currency code."),
    _k(
        "bad-iati-ref",
        "Invalid IATI organisation identifier",
        "reporting_org's ref is not an IATI organisation identifier: a registration "
        "agency prefix (XM-DAC, GB-COH), '-', the organisation's number, in letters, "
        "digits, '.', '_', '-' (no space, no & < > / ? |): every activity's "
        "iati-identifier starts with it (docs/records.md, Export: IATI).",
    ),
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
        "amount-below-cent",
        "Contribution worth less than a cent",
        "A contribution converts to less than one US cent (USD 0.00 once rounded): it "
        "would count its agreement as funded (spec §3) while adding nothing to funds "
        "(docs/semantics.md, Money).",
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
    *TOOL_KINDS,
]
