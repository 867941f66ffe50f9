"""The ledger as an IATI 2.03 activity file (``rmxl export --format iati``).

One ``iati-activity`` per agreement (IATI Standard 2.03, activity standard):

- ``iati-identifier`` = the reporting organisation's ``ref``, ``-``, the agreement id;
- ``reporting-org`` from the ledger's ``reporting_org`` section (docs/ledger-format.md);
- ``title`` and ``description`` (the title; the notes when there are some);
- one ``participating-org`` of role 1 (Funding) per partner, with the IATI organisation
  type of its partner type (the taxonomy's ``iati`` codes), plus the reporting
  organisation as funder when it co-finances, and as role 4 (Implementing);
- ``activity-status`` 2 (Implementation), ``activity-date`` type 2 (actual start) = the
  signed date; ``recipient-country`` for the agreement's countries (equal percentages);
- one ``transaction`` per contribution: type 11 (Incoming Commitment), dated the signed
  date, its value in the contribution's currency as signed, ``provider-org`` the partner
  (or the reporting organisation for ITU's own component, described as such),
  ``receiver-org`` the reporting organisation.

No USD conversion is published: IATI values carry their own currency.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from rmxl.model import ITU, Agreement, Ledger, ReportingOrg

INCOMING_COMMITMENT = "11"
FUNDING, IMPLEMENTING = "1", "4"
ITU_COMPONENT = "ITU's own co-financing component"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class IatiError(ValueError):
    """The ledger lacks what an IATI file needs (a ``reporting_org`` section)."""


def _narrative(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    ET.SubElement(el, "narrative").text = text
    return el


def _org(org: ReportingOrg) -> dict[str, str]:
    return {"ref": org.ref, "type": org.type}


def _amount(d: Decimal) -> str:
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _percentages(n: int) -> list[str]:
    """``n`` percentages with two decimals that add up to exactly 100."""
    share = (Decimal(100) / n).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return [str(share)] * (n - 1) + [str(Decimal(100) - share * (n - 1))]


def activity(ledger: Ledger, org: ReportingOrg, a: Agreement) -> ET.Element:
    """The ``iati-activity`` element of one agreement (module doc)."""
    attrs = {XML_LANG: "en", "default-currency": "USD", "hierarchy": "1"}
    act = ET.Element("iati-activity", attrs)
    ET.SubElement(act, "iati-identifier").text = f"{org.ref}-{a.id}"
    _narrative(act, "reporting-org", org.name, **_org(org))
    _narrative(act, "title", a.title)
    _narrative(act, "description", a.notes or a.title, type="1")
    for pid in a.partners:
        p = ledger.partners[pid]
        ptype = ledger.taxonomy.partner_types.get(p.type)
        attrs = {"role": FUNDING} | ({"type": ptype.iati} if ptype and ptype.iati else {})
        _narrative(act, "participating-org", p.name, **attrs)
    if any(c.by == ITU for c in a.contributions):
        _narrative(act, "participating-org", org.name, role=FUNDING, **_org(org))
    _narrative(act, "participating-org", org.name, role=IMPLEMENTING, **_org(org))
    ET.SubElement(act, "activity-status", {"code": "2"})
    ET.SubElement(act, "activity-date", {"type": "2", "iso-date": a.signed.isoformat()})
    for code, pct in zip(a.countries, _percentages(len(a.countries) or 1), strict=False):
        ET.SubElement(act, "recipient-country", {"code": code, "percentage": pct})
    for c in a.contributions:
        tr = ET.SubElement(act, "transaction")
        ET.SubElement(tr, "transaction-type", {"code": INCOMING_COMMITMENT})
        ET.SubElement(tr, "transaction-date", {"iso-date": a.signed.isoformat()})
        value = ET.SubElement(
            tr, "value", {"currency": c.currency, "value-date": a.signed.isoformat()}
        )
        value.text = _amount(c.amount)
        if c.by == ITU:
            _narrative(tr, "description", ITU_COMPONENT)
            _narrative(tr, "provider-org", org.name, **_org(org))
        else:
            p = ledger.partners[c.by]
            ptype = ledger.taxonomy.partner_types.get(p.type)
            kind = {"type": ptype.iati} if ptype and ptype.iati else {}
            _narrative(tr, "provider-org", p.name, **kind)
        _narrative(tr, "receiver-org", org.name, **_org(org))
    return act


def iati_xml(ledger: Ledger) -> bytes:
    """The whole ``iati-activities`` document (version 2.03), UTF-8 with a declaration.

    Raises :class:`IatiError` when the ledger has no ``reporting_org`` section."""
    org = ledger.reporting_org
    if org is None:
        raise IatiError(
            "error[iati-no-reporting-org]: the ledger has no reporting_org section "
            "(add reporting_org: {ref, name, type}; see docs/ledger-format.md)"
        )
    root = ET.Element("iati-activities", {"version": "2.03"})
    for a in ledger.agreements:
        root.append(activity(ledger, org, a))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
