"""Draft agreements → ledger YAML text in the canonical layout of ``rmxl fmt``
(:mod:`rmxl.tools.fmt_layout`): block records with keys in the spec's order, short lists
and contributions in flow style, one blank line between agreements.

Strings are written plain when YAML 1.2 reads them back as the same string, else
double-quoted (JSON escapes, which YAML reads as written).
"""

from __future__ import annotations

import json
import re
from typing import Any

from rmxl.tools.fmt_layout import WIDTH
from rmxl.tools.ingest.rows import Draft
from rmxl.tools.ingest.values import amount_text

_PLAIN = re.compile(r"[A-Za-z_(][^:#\n]*")
_RESERVED = re.compile(r"(?i)(true|false|yes|no|on|off|y|n|null|~|[-+.\d].*|\.nan|\.inf)$")
_FLOW_UNSAFE = set(",[]{}")


def scalar(text: str, flow: bool = False) -> str:
    """``text`` as a YAML scalar that reads back as exactly this string."""
    plain = (
        _PLAIN.fullmatch(text)
        and not _RESERVED.fullmatch(text)
        and text == text.strip()
        and not (flow and _FLOW_UNSAFE & set(text))
        and not text.endswith(":")
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def _list(key: str, items: list[str], indent: int) -> list[str]:
    flow = f"{' ' * indent}{key}: [{', '.join(scalar(i, True) for i in items)}]"
    if len(flow) <= WIDTH:
        return [flow]
    return [f"{' ' * indent}{key}:"] + [f"{' ' * indent}  - {scalar(i)}" for i in items]


def record(d: Draft, agreement_id: str) -> str:
    """One agreement as it stands in an ``agreements:`` list (2-space indent)."""
    lines = [f"  - id: {scalar(agreement_id)}", f"    title: {scalar(d.title)}"]
    lines.append(f"    signed: {d.signed.isoformat()}")
    for key in ("partners", "regions", "priorities"):
        lines += _list(key, getattr(d, key), 4)
    if d.contributions:
        lines.append("    contributions:")
        for by, amount, cur in d.contributions:
            text = f"by: {scalar(by, True)}, amount: {amount_text(amount)}, currency: {cur}"
            lines.append(f"      - {{{text}}}")
    if d.countries:
        lines += _list("countries", d.countries, 4)
    for key in ("reference", "notes"):
        value: Any = getattr(d, key)
        if value:
            lines.append(f"    {key}: {scalar(value)}")
    return "\n".join(lines) + "\n"


def new_file(records: list[str], heading: str) -> str:
    """A new agreements file: a comment line, then the records."""
    return f"# {heading}\n\nagreements:\n" + "\n".join(records)


def appended(text: str, records: list[str]) -> str | None:
    """``text`` (an agreements file whose last section is a block list of agreements
    indented by 2) with ``records`` added at its end; None when the file has another
    shape (the caller then refuses to touch it)."""
    if not re.search(r"(?m)^agreements:\s*(#.*)?$", text) or not re.search(r"(?m)^  - ", text):
        return None
    last_top = [m.group(1) for m in re.finditer(r"(?m)^([A-Za-z_]\w*):", text)]
    if not last_top or last_top[-1] != "agreements":
        return None
    body = text if text.endswith("\n") else text + "\n"
    return body + "\n" + "\n".join(records)
