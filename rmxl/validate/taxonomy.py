"""Validate the ``taxonomy`` section (spec §2, taxonomy) into a :class:`Taxonomy`."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

from rmxl.diagnostics import Source
from rmxl.model import ActionPlan, Code, Group, Taxonomy, Vocabulary
from rmxl.read.files import LMap, LSeq
from rmxl.read.located import RefusedKey
from rmxl.validate.checks import Checker, meant
from rmxl.validate.naming import Names
from rmxl.validate.publisher import iati_type

VOCABULARIES = ("regions", "partner_types", "membership", "action_plans")


def vocabulary(
    ck: Checker,
    value: Any,
    src: Source,
    what: str,
    multi: bool,
    iati: bool = False,
    field: str = "values",
    plan_multi: tuple[str, Source] | None = None,
    report: bool = False,
) -> Vocabulary | None:
    """A ``{values: [{code, label}], multi_label?}`` mapping (or ``priorities`` of a plan,
    whose ``multi_label`` is ``plan_multi``). Codes and labels are names of buckets: see
    :class:`rmxl.validate.naming.Names` (spec §6). With ``report`` (membership) also
    ``footnote?`` and ``groups?`` (:func:`groups`)."""
    optional = (("multi_label",) if multi else ()) + (("footnote", "groups") if report else ())
    m = ck.record(value, src, what, (field,), optional)
    if m is None:
        return None
    items = m.get(field)
    if not isinstance(items, LSeq) or not items:
        if field in m:
            ck.err("wrong-type", f"{what}: {field!r} must be a non-empty list", m.val_src(field))
        return None
    codes: list[Code] = []
    names = Names(ck, what)
    for i, item in enumerate(items):
        one = ck.record(
            item, items.item_src(i), f"{what} entry", ("code", "label"), ("iati",) if iati else ()
        )
        if one is None:
            continue
        code = ck.text(one, "code", what)
        label = ck.text(one, "label", what)
        if code is None or label is None:
            continue
        if not names.claim(i, "code", code, one.val_src("code")):
            continue
        if not names.claim(i, "label", label, one.val_src("label")):
            continue
        codes.append(Code(code, label, iati_type(ck, one, "iati", what) if iati else None))
    multi_label = ck.text(m, "multi_label", what, required=False) if multi else None
    if multi_label is not None:
        names.claim(-1, "multi_label", multi_label, m.val_src("multi_label"))
    elif plan_multi is not None:
        names.claim(-1, "multi_label", *plan_multi)
    if not report:
        return Vocabulary(tuple(codes), multi_label)
    note = ck.text(m, "footnote", what, required=False)
    return Vocabulary(tuple(codes), multi_label, note, groups(ck, m, what, tuple(codes)))


def groups(ck: Checker, m: LMap, what: str, codes: tuple[Code, ...]) -> tuple[Group, ...]:
    """``groups: [{label, codes: [two or more codes of the vocabulary]}]``, each code in
    one group at most (docs/ledger-format.md, taxonomy); problems are ``taxonomy-group``
    or ``wrong-type``."""
    if "groups" not in m:
        return ()
    items, known = m["groups"], {c.code for c in codes}
    if not isinstance(items, LSeq):
        ck.err("wrong-type", f"{what}: 'groups' must be a list", m.val_src("groups"))
        return ()
    out: list[Group] = []
    grouped: dict[str, Source] = {}
    for i, item in enumerate(items):
        one = ck.record(item, items.item_src(i), f"{what} group", ("label", "codes"), ())
        label = ck.text(one, "label", f"{what} group") if one is not None else None
        listed = ck.text_list(one, "codes", f"{what} group", True) if one is not None else None
        if one is None or label is None or listed is None:
            continue
        ok = True
        for code, src in listed:
            if code not in known:
                ck.err(
                    "taxonomy-group",
                    f"{what}: group {label!r} names unknown code {code!r}",
                    src,
                    f"use one of {', '.join(sorted(known))}",
                )
                ok = False
            elif code in grouped:
                ck.err(
                    "taxonomy-group",
                    f"{what}: {code!r} is in two groups (first at {grouped[code]})",
                    src,
                )
                ok = False
            else:
                grouped[code] = src
        if len(listed) < 2:
            ck.err(
                "taxonomy-group",
                f"{what}: group {label!r} needs two or more codes",
                one.val_src("codes"),
            )
        elif ok:
            out.append(Group(label, tuple(c for c, _ in listed)))
    return tuple(out)


def action_plans(ck: Checker, value: Any, src: Source) -> tuple[ActionPlan, ...]:
    """The list of action plans; periods must not overlap and only the last may be open."""
    if not isinstance(value, LSeq) or not value:
        ck.err("wrong-type", "taxonomy: 'action_plans' must be a non-empty list", src)
        return ()
    plans: list[tuple[ActionPlan, Source]] = []
    seen = Names(ck, "action plans")
    for i, item in enumerate(value):
        what = "action plan"
        m = ck.record(
            item,
            value.item_src(i),
            what,
            ("code", "label", "from", "multi_label", "priorities"),
            ("to", "priorities_term"),
        )
        if m is None:
            continue
        code, label = ck.text(m, "code", what), ck.text(m, "label", what)
        start, end = ck.date(m, "from", what), ck.date(m, "to", what)
        multi_label = ck.text(m, "multi_label", what)
        term = ck.text(m, "priorities_term", what, required=False) or "thematic priorities"
        prios = vocabulary(
            ck,
            _as_values(m.get("priorities")),
            m.val_src("priorities"),
            f"action plan {code} priorities",
            multi=False,
            plan_multi=None if multi_label is None else (multi_label, m.val_src("multi_label")),
        )
        if None in (code, label, start, multi_label, prios):
            continue
        assert code and label and start and multi_label and prios
        if not seen.claim(i, "code", code, m.val_src("code")):
            continue
        if end is not None and end < start:
            ck.err(
                "plan-dates",
                f"action plan {code!r} ends ({end}) before it starts ({start})",
                m.val_src("to"),
            )
            continue
        plans.append(
            (ActionPlan(code, label, start, end, multi_label, prios, term), m.val_src("from"))
        )
    plans.sort(key=lambda p: p[0].start)
    for (a, _), (b, bsrc) in itertools.pairwise(plans):
        a_end = a.end or dt.date.max
        if b.start <= a_end:
            ck.err(
                "plan-overlap",
                f"action plans {a.code!r} and {b.code!r} are both in force on {b.start}",
                bsrc,
                f"end {a.code!r} before {b.start}",
            )
    return tuple(p for p, _ in plans)


def _as_values(priorities: Any) -> Any:
    """Plans list priorities directly; present them as a vocabulary ``{values: [...]}``."""
    if isinstance(priorities, LSeq):
        wrapper = LMap(priorities.file, priorities.pos)
        wrapper["values"] = priorities
        wrapper.key_pos["values"] = wrapper.val_pos["values"] = priorities.pos
        return wrapper
    return priorities


def taxonomy(ck: Checker, sections: list[LMap]) -> Taxonomy | None:
    """Merge the ``taxonomy`` sections of all files; each vocabulary is given once."""
    parts: dict[str, tuple[Any, Source]] = {}
    for sec in sections:
        m = ck.record(sec, sec.src(), "taxonomy", (), VOCABULARIES)
        if m is None:
            continue
        for key in VOCABULARIES:
            if key not in m:
                continue
            if key in parts:
                ck.err(
                    "duplicate-section",
                    f"taxonomy {key!r} is defined twice (first at {parts[key][1]})",
                    m.key_src(key),
                )
                continue
            parts[key] = (m[key], m.val_src(key))
    missing = [k for k in VOCABULARIES if k not in parts]
    if missing:
        misspelt = {
            meant(k, VOCABULARIES) for sec in sections for k in sec if k not in VOCABULARIES
        }
        where = sections[0].src() if sections else None
        ck.err(
            "taxonomy-missing",
            f"the taxonomy has no {', '.join(missing)}",
            where,
            "see the taxonomy section of the ledger format",
            # every one written, misspelt (unknown-key), or a refused key (a merge '<<')
            knock_on=set(missing) <= misspelt
            or any(isinstance(k, RefusedKey) for sec in sections for k in sec),
        )
        return None
    regions = vocabulary(ck, *parts["regions"], "taxonomy regions", multi=True)
    types = vocabulary(
        ck, *parts["partner_types"], "taxonomy partner_types", multi=False, iati=True
    )
    membership = vocabulary(
        ck, *parts["membership"], "taxonomy membership", multi=False, report=True
    )
    plans = action_plans(ck, *parts["action_plans"])
    if regions is None or types is None or membership is None or not plans:
        return None
    if regions.multi_label is None:
        regions = Vocabulary(regions.values, "Multi-regions")
    return Taxonomy(regions, types, membership, plans)


def plan_finder(
    tax: Taxonomy | None,
) -> Callable[[dt.date], tuple[ActionPlan | None, frozenset[str]]]:
    """:meth:`~rmxl.model.Taxonomy.plan_on` and the plan's priority codes, remembered per
    day (a file signs many agreements on the same days)."""
    memo: dict[dt.date, tuple[ActionPlan | None, frozenset[str]]] = {}

    def plans(day: dt.date) -> tuple[ActionPlan | None, frozenset[str]]:
        if day not in memo:
            plan = tax.plan_on(day) if tax is not None else None
            memo[day] = plan, frozenset(plan.priorities.codes() if plan else ())
        return memo[day]

    return plans
