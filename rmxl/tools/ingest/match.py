"""Names in a spreadsheet → the ledger's ids and codes (``rmxl import``).

Partners are matched by the map's translation, then by id or name exactly, then case-,
accent- and space-insensitively (:func:`~rmxl.tools.ingest.values.fold`); regions and
priorities by translation, then code or label the same way (a priority among the plan in
force on the signed date first). A name that matches nothing raises :class:`BadValue`
whose hint lists the closest names.
"""

from __future__ import annotations

import datetime as dt
import re

from rmxl.diagnostics import closest_names
from rmxl.model import ITU, Ledger
from rmxl.tools.ingest.values import BadValue, fold
from rmxl.validate import iso


class Names:
    """Lookup tables of one ledger, with the map's ``values`` translations."""

    def __init__(self, ledger: Ledger, values: dict[str, dict[str, list[str]]]) -> None:
        self.ledger = ledger
        self.values = values
        self.partners: dict[str, str] = {}
        for p in ledger.partners.values():
            self.partners.setdefault(fold(p.name), p.id)
        for p in ledger.partners.values():
            self.partners.setdefault(fold(p.id), p.id)
        self.names = {p.id: p.name for p in ledger.partners.values()}
        tax = ledger.taxonomy
        self.regions = {fold(c.label): c.code for c in tax.regions.values}
        self.regions |= {fold(c.code): c.code for c in tax.regions.values}
        self.currencies = iso.currencies()
        self.countries = {fold(n): c for c, n in iso.countries().items()}
        self.countries |= {fold(c): c for c in iso.countries()}

    def _translated(self, field: str, text: str) -> list[str] | None:
        return self.values.get(field, {}).get(fold(text))

    def partner(self, text: str) -> str:
        """A partner id for a name or id as written (or ``ITU``)."""
        got = self._translated("partners", text)
        if got:
            return got[0]
        if text in self.names:
            return text
        pid = self.partners.get(fold(text))
        if pid is not None:
            return pid
        raise BadValue(f"no partner named {text!r}", self.closest_partners(text))

    def contributor(self, text: str) -> str:
        if fold(text) == fold(ITU):
            return ITU
        got = self._translated("by", text)
        return got[0] if got else self.partner(text)

    def closest_partners(self, text: str) -> str:
        """``"closest: 'Swiss FDFA' (ch-fdfa), …"`` — or advice for a new partner."""
        names = list(self.partners)
        close = closest_names(fold(text), names, 3, cutoff=0.5)
        if not close:
            words = set(fold(text).split())
            close = [n for n in names if words & set(n.split()) - {"of", "the", "and"}][:3]
        shown = ", ".join(f"{self.names[self.partners[c]]!r} ({self.partners[c]})" for c in close)
        advice = "add the partner to partners.yaml, or map the name under values: partners"
        return f"closest: {shown}; else {advice}" if shown else advice + " (--new-partners)"

    def regions_of(self, text: str) -> list[str]:
        got = self._translated("regions", text)
        if got:
            return got
        code = self.regions.get(fold(text))
        if code is None:
            raise BadValue(
                f"no region {text!r}",
                f"regions: {', '.join(c.label for c in self.ledger.taxonomy.regions.values)}",
            )
        return [code]

    def priorities_of(self, text: str, day: dt.date | None) -> list[str]:
        got = self._translated("priorities", text)
        if got:
            return got
        tax = self.ledger.taxonomy
        in_force = tax.plan_on(day) if day else None
        plans = ([in_force] if in_force else []) + [p for p in tax.action_plans if p != in_force]
        for plan in plans:
            for c in plan.priorities.values:
                if fold(text) in (fold(c.code), fold(c.label)):
                    return [c.code]
        labels = [c.label for c in (in_force or tax.action_plans[0]).priorities.values]
        raise BadValue(f"no thematic priority {text!r}", "priorities: " + ", ".join(labels))

    def countries_of(self, text: str) -> list[str]:
        got = self._translated("countries", text)
        if got:
            return got
        code = self.countries.get(fold(text))
        if code is None:
            raise BadValue(f"no country {text!r}", "write an ISO 3166-1 code (CH) or name")
        return [code]

    def currency(self, text: str) -> str:
        got = self._translated("currency", text)
        code = got[0] if got else text.strip().upper()
        if code not in self.currencies:
            raise BadValue(f"{text!r} is not an ISO 4217 currency", "write e.g. USD, CHF, EUR")
        return code


def new_partner_id(name: str, taken: set[str]) -> str:
    """A partner id proposed for a new name: its words' initials or slug, made unique,
    never ``itu`` (ITU's own, spec §6)."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:30].strip("-") or "partner"
    out, n = slug, 2
    while out in taken or out == "itu":
        out, n = f"{slug}-{n}", n + 1
    taken.add(out)
    return out
