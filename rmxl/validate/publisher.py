"""Validate the ``reporting_org`` section and IATI organisation-type codes
(docs/ledger-format.md, "reporting_org"; IATI Standard 2.03, codelist OrganisationType).

The reporting organisation is who publishes the ledger's IATI file (``rmxl export --format
iati``): its IATI organisation identifier (``ref``), its name and its IATI organisation type.
"""

from __future__ import annotations

import re
from typing import Any

from rmxl.diagnostics import Source
from rmxl.model import ReportingOrg
from rmxl.read.files import LMap
from rmxl.validate.checks import Checker, suggest

IATI_ORG_TYPES = {
    "10": "Government",
    "11": "Local Government",
    "15": "Other Public Sector",
    "21": "International NGO",
    "22": "National NGO",
    "23": "Regional NGO",
    "24": "Partner Country based NGO",
    "30": "Public Private Partnership",
    "40": "Multilateral",
    "60": "Foundation",
    "70": "Private Sector",
    "71": "Private Sector in Provider Country",
    "72": "Private Sector in Aid Recipient Country",
    "73": "Private Sector in Third Country",
    "80": "Academic, Training and Research",
    "90": "Other",
}
"""The IATI OrganisationType codelist (https://iatistandard.org/en/iati-standard/203/codelists/organisationtype/)."""

REPORTING_ORG_KEYS = ("ref", "name", "type")

IATI_ORG_ID = re.compile(r"[A-Z]{2}-[A-Z0-9]+-[A-Za-z0-9._-]*[A-Za-z0-9]")
"""An IATI organisation identifier (IATI Standard, "Organisation identifiers"): the
prefix of its registration agency (codelist OrganisationRegistrationAgency: a country or
``XM``/``XI`` code, ``-``, the agency, e.g. ``XM-DAC``, ``GB-COH``), ``-``, the
organisation's number there. No space, and none of ``/ & | ? # < > "`` (IATI forbids ``/
& | ?`` in identifiers); letters, digits, ``.``, ``_``, ``-`` only."""


def iati_org_id(ck: Checker, m: LMap, ref: str) -> str | None:
    """``ref`` when it is an IATI organisation identifier (:data:`IATI_ORG_ID`), else
    ``bad-iati-ref`` at the value and None."""
    if IATI_ORG_ID.fullmatch(ref):
        return ref
    ck.err(
        "bad-iati-ref",
        f"reporting_org: ref {ref!r} is not an IATI organisation identifier",
        m.val_src("ref"),
        "write the registration agency's prefix, '-', the organisation's number there, "
        "with letters, digits, '.', '_', '-' only (e.g. XM-DAC-41303; see org-id.guide)",
    )
    return None


def iati_type(ck: Checker, m: LMap, key: str, what: str, required: bool = False) -> str | None:
    """``m[key]`` as an IATI organisation type code (text such as ``"10"``), or None."""
    v: Any = m.get(key)
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    elif key in m:
        v = ck.text(m, key, what, required=required)
    if v is None:
        return None
    if not isinstance(v, str) or v not in IATI_ORG_TYPES:
        ck.err(
            "unknown-iati-type",
            f"{what}: {key} {v!r} is not an IATI organisation type code",
            m.val_src(key),
            suggest(str(v), IATI_ORG_TYPES, {n: c for c, n in IATI_ORG_TYPES.items()}),
        )
        return None
    return v


def reporting_org(ck: Checker, parts: list[tuple[Any, Source]]) -> ReportingOrg | None:
    """The one ``reporting_org`` mapping of the ledger (defined twice is an error)."""
    found: ReportingOrg | None = None
    first: Source | None = None
    for value, src in parts:
        m = ck.record(value, src, "reporting_org", REPORTING_ORG_KEYS, ())
        if m is None:
            continue
        if first is not None:
            ck.err(
                "duplicate-section",
                f"reporting_org is given twice (first at {first})",
                src,
            )
            continue
        first = src
        ref = ck.text(m, "ref", "reporting_org")
        ref = iati_org_id(ck, m, ref) if ref is not None else None
        name = ck.text(m, "name", "reporting_org")
        kind = iati_type(ck, m, "type", "reporting_org", required=True)
        if ref is not None and name is not None and kind is not None:
            found = ReportingOrg(ref, name, kind)
    return found
