"""The fast reading path gives exactly rmxl.read.files's located trees, or steps aside.

The property checked everywhere: for any text, ``fastread.parse_subset`` either returns
``FALLBACK`` or the very tree ``rmxl.read.files.parse_text`` builds — same types (``1`` is not
``1.0`` nor ``True``), values, and 1-based (line, column) of every mapping, key, value
and list item — while ``rmxl.read.files`` reports no diagnostic for that text.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rmxl.diagnostics import Diagnostic
from rmxl.read import fastread
from rmxl.read import files as read
from rmxl.read.files import LMap, LSeq

from conftest import DEMO, ROOT, base_files, write_ledger

sys.path.insert(0, str(ROOT / "bench"))


def dump(v: Any) -> Any:
    """A value with every position and type spelled out, comparable with ==."""
    if isinstance(v, LMap):
        items = [
            (type(k).__name__, repr(k), v.key_pos[k], v.val_pos[k], dump(x)) for k, x in v.items()
        ]
        return ("map", v.file, v.pos, items)
    if isinstance(v, LSeq):
        return ("seq", v.file, v.pos, list(v.item_pos), [dump(x) for x in v])
    return (type(v).__name__, repr(v))


def both(text: str) -> tuple[Any, Any, list[Diagnostic]]:
    """(fast result, read.py result, read.py diagnostics) for one decoded text."""
    diags: list[Diagnostic] = []
    slow = read.parse_text(text, "f.yaml", diags)
    return fastread.parse_subset(text, "f.yaml"), slow, diags


def assert_same_or_fallback(text: str) -> bool:
    """The property; returns True when the fast path took the text."""
    fast, slow, diags = both(text)
    if fast is fastread.FALLBACK:
        return False
    assert not diags, f"fast path accepted a text read.py finds wrong: {diags}"
    assert dump(fast) == dump(slow)
    return True


def test_demo_ledger_is_read_fast_and_identically() -> None:
    paths = read.ledger_paths(DEMO)
    assert len(paths) >= 4
    for p in paths:
        text = read.decode(p.read_bytes(), "f.yaml", [])
        assert text is not None
        assert assert_same_or_fallback(text), f"{p} fell back to rmxl.read.files"


def test_inline_test_ledger_is_read_fast_and_identically(tmp_path: Path) -> None:
    root = write_ledger(tmp_path, base_files())
    for p in read.ledger_paths(root):
        assert assert_same_or_fallback(p.read_text(encoding="utf-8")), p


def test_synthetic_ledger_is_read_fast_and_identically(tmp_path: Path) -> None:
    from synth import generate

    root = generate(300, tmp_path / "l")
    paths = read.ledger_paths(root)
    assert len(paths) == 14
    for p in paths:
        assert assert_same_or_fallback(p.read_text(encoding="utf-8")), p


def test_values_positions_and_yaml_1_2_scalars() -> None:
    text = (
        "a:\n"
        "  - id: X-1   # comment\n"
        "    country: NO\n"
        "    yes: on\n"
        "    signed: 2023-03-01\n"
        "    amount: 1_000\n"
        "    rate: 0.921\n"
        "    tags: [NO, 'it''s', \"a # b\", 12]\n"
        "    c: {by: ITU, amount: 5}\n"
        "    empty:\n"
        "  -\n"
    )
    fast = fastread.parse_subset(text, "f.yaml")
    assert isinstance(fast, LMap)
    rec = fast["a"][0]
    assert rec["country"] == "NO" and rec["yes"] == "on"
    assert rec["signed"] == dt.date(2023, 3, 1)
    assert rec["amount"] == 1000 and type(rec["amount"]) is int
    assert rec["rate"] == Decimal("0.921") and type(rec["rate"]) is Decimal  # spec §6: exact
    assert list(rec["tags"]) == ["NO", "it's", "a # b", 12]
    assert rec.val_pos["tags"] == (8, 11) and rec["tags"].item_pos == [
        (8, 12),
        (8, 16),
        (8, 25),
        (8, 34),
    ]
    assert rec["c"].key_pos["amount"] == (9, 18) and rec["c"].val_pos["amount"] == (9, 26)
    assert rec["empty"] is None and rec.val_pos["empty"] == (10, 11)
    assert fast["a"][1] is None and fast["a"].item_pos[1] == (11, 4)
    assert_same_or_fallback(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("NO", "NO"),
        ("yes", "yes"),
        ("On", "On"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("1e3", Decimal("1e3")),
        ("-5", -5),
        ("+7", 7),
        ("007", 7),
        (".5", Decimal("0.5")),
        ("-.inf", -math.inf),
        ("2023-3-1", "2023-3-1"),
        ("TDAG23/INF/1", "TDAG23/INF/1"),
        ("a:b", "a:b"),
        ("C#", "C#"),
        ("Digital Services & Applications", "Digital Services & Applications"),
        ("'2023-01-01'", "2023-01-01"),
        ('"NO"', "NO"),
        ("é 🎉", "é 🎉"),
        ("٢٠٢٣-٠١-٠١", "٢٠٢٣-٠١-٠١"),  # Arabic-Indic digits: not a YAML date
        ("١٢", "١٢"),
    ],
)
def test_scalars_read_fast(value: str, expected: Any) -> None:
    flow = "" if ":" in value or "#" in value else f"l: [{value}]\n"  # those fall back there
    text = f"k: {value}\n{flow}m:\n  - {value}\n"
    fast = fastread.parse_subset(text, "f.yaml")
    assert isinstance(fast, LMap), f"{value!r} fell back"
    got = fast["k"]
    assert type(got) is type(expected)
    assert got == expected or (isinstance(expected, float) and math.isnan(expected))
    assert_same_or_fallback(text)


@pytest.mark.parametrize(
    "text",
    [
        "k: 2023-02-30\n",  # BadDate and its diagnostic: read.py's business
        "k: 0x1F\n",
        "k: 0o17\n",
        "k: " + "9" * 120 + "\n",
        "k: &a 1\nl: *a\n",
        "k: !!python/object:os.system x\n",
        "k: |\n  text\n",
        "k: >\n  text\n",
        "k: a\n  continued\n",
        "k: [a,\n  b]\n",
        "k: [1?]\n",
        'k: "a\\tb"\n',
        "k: 1\nk: 2\n",
        "k: {a: 1, a: 2}\n",
        "'k': 1\n",
        "? k\n: 1\n",
        "k:\tx\n",
        "k: x\r\n",
        "---\nk: 1\n",
        "k: 1\n---\nk: 2\n",
        "%YAML 1.1\n---\nk: 1\n",
        "- a\n- b\n",
        "just text\n",
        "k: a: b\n",
        "k: - a\n",
        "k:\n  - - a\n",
        "k:\n- a\n  - b\n",
        "k: <<\n",
        "k: =\n",
        "k: x\u0085y\n",
        "k: \ufeffx\n",
        "k: 1\n  l: 2\n",
        "a:\n    b: 1\n  c: 2\n",
    ],
)
def test_unusual_text_falls_back(text: str) -> None:
    fast, _, _ = both(text)
    assert fast is fastread.FALLBACK


def test_empty_and_comment_only_files_are_none() -> None:
    for text in ("", "\n\n", "# only a comment\n  # another\n"):
        fast, slow, diags = both(text)
        assert fast is None and slow is None and not diags


def test_read_bytes_handles_bom_crlf_and_bad_bytes() -> None:
    raw = "\ufeffagreements:\r\n  - id: A-1\r\n    title: x  # c\r\n".encode()
    diags: list[Diagnostic] = []
    data = fastread.read_bytes(raw, "f.yaml", diags)
    assert isinstance(data, LMap) and not diags
    assert data["agreements"][0].val_pos["title"] == (3, 12)
    bad: list[Diagnostic] = []
    assert fastread.read_bytes(b"k: \xff\n", "f.yaml", bad) is None
    assert [d.code for d in bad] == ["encoding"]
    # outside the subset: read.py's own diagnostic, with its position
    dup: list[Diagnostic] = []
    fastread.read_bytes(b"k: 1\nk: 2\n", "f.yaml", dup)
    assert [(d.code, d.source.line if d.source else 0) for d in dup] == [("yaml-duplicate-key", 2)]


# -- generated documents ---------------------------------------------------------------

TRICKY = [
    "NO",
    "no",
    "yes",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "True",
    "FALSE",
    "null",
    "Null",
    "~",
    "1e3",
    "1E3",
    "1.5e-3",
    ".inf",
    "-.Inf",
    ".nan",
    "0x1F",
    "0o17",
    "0b101",
    "017",
    "1_000",
    "-1",
    "+1",
    "0",
    "0.0",
    "3.",
    "2023-02-30",
    "2023-03-01",
    "2023-3-1",
    "2023-03-01T10:00:00",
    "'2023-03-01'",
    '"2023-03-01"',
    "'it''s'",
    '"say \\"hi\\""',
    "a:b",
    "a: b",
    "a #b",
    "a#b",
    "C#",
    "-x",
    "- x",
    "-",
    "?x",
    ":x",
    "@x",
    "`x",
    "%x",
    "&a x",
    "*a",
    "!!str 1",
    "!x y",
    "<<",
    "=",
    "|",
    ">",
    "[a]",
    "{a: 1}",
    "[]",
    "{}",
    "a, b",
    "[a, b]",
    "{a: b, c: d}",
    "[a,b]",
    "{a:b}",
    "é",
    "🎉",
    "x  y",
    " x",
    "x ",
]
WORDS = st.sampled_from(["id", "title", "a", "b", "x_1", "2022-01-01", "1", "true", "NO"])
LEDGERISH = ["africa", "Swiss FDFA", "2400000", "0.96", "2022-03-14", "A-1", "TDAG23/INF/1"]
SCALARS = st.one_of(
    st.sampled_from(TRICKY),
    st.sampled_from(LEDGERISH),
    st.text(alphabet="ab :#-'\"[]{},&*!|>?1.\\é", min_size=1, max_size=8),
)


def _flow(items: list[str], keys: list[str], mapping: bool) -> str:
    if mapping:
        return "{" + ", ".join(f"{k}: {v}" for k, v in zip(keys, items, strict=False)) + "}"
    return "[" + ", ".join(items) + "]"


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """Lines of a block mapping (at indent 0) with nested maps, lists and flows."""
    lines: list[str] = []
    keys = draw(st.lists(WORDS, min_size=1, max_size=4))
    for key in keys:
        kind = draw(st.sampled_from(["scalar", "flow", "map", "list", "empty", "comment"]))
        pad = " " * draw(st.sampled_from([1, 1, 1, 2]))
        if kind == "scalar":
            lines.append(f"{key}:{pad}{draw(SCALARS)}")
        elif kind == "flow":
            items = draw(st.lists(SCALARS, max_size=3))
            ks = draw(st.lists(WORDS, min_size=len(items), max_size=len(items)))
            lines.append(f"{key}:{pad}{_flow(items, ks, draw(st.booleans()))}")
        elif kind == "empty":
            lines.append(f"{key}:" + draw(st.sampled_from(["", "  # note", " "])))
        elif kind == "comment":
            lines.append(draw(st.sampled_from(["# c", "", "   ", "  # indented"])))
            lines.append(f"{key}: {draw(SCALARS)}")
        elif depth >= 2:
            lines.append(f"{key}: {draw(SCALARS)}")
        else:
            ind = " " * draw(st.sampled_from([0, 2, 4, 1]))
            sub = draw(documents(depth + 1))
            lines.append(f"{key}:")
            if kind == "map":
                lines.extend(ind + "  " + s if s else s for s in sub)
            else:
                for _ in range(draw(st.integers(1, 3))):
                    entry = draw(st.sampled_from(["compact", "scalar", "nested", "empty"]))
                    if entry == "compact":
                        lines.append(f"{ind}- {sub[0]}")
                        lines.extend(f"{ind}  {s}" if s else s for s in sub[1:])
                    elif entry == "nested":
                        lines.append(f"{ind}-")
                        lines.extend(f"{ind}    {s}" if s else s for s in sub)
                    elif entry == "empty":
                        lines.append(f"{ind}-")
                    else:
                        lines.append(f"{ind}- {draw(SCALARS)}")
    return lines


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.booleans(), st.booleans())
def test_generated_documents_match_read(lines: list[str], crlf: bool, bom: bool) -> None:
    raw = ("\ufeff" if bom else "") + ("\r\n" if crlf else "\n").join(lines) + "\n"
    text = read.decode(raw.encode(), "f.yaml", [])
    assert text is not None
    assert_same_or_fallback(text)


def test_generated_plain_documents_mostly_go_fast() -> None:
    """The subset is not empty in practice: ledger-shaped documents are taken."""
    taken = 0
    for i in range(50):
        text = (
            f"agreements:\n  - id: A-{i}\n    partners: [p-{i}, acme]\n"
            f"    contributions:\n      - {{by: acme, amount: {i + 1}, currency: USD}}\n"
        )
        taken += assert_same_or_fallback(text)
    assert taken == 50


def test_one_scalar_table_for_both_parsers() -> None:
    """Issue 9: the full and the fast parser had their own scalar tables, and MAX_DEPTH
    was 40 in one and 64 in the other."""
    from rmxl.read import compose, scalars

    assert compose.MAX_DEPTH == fastread.MAX_DEPTH == scalars.MAX_DEPTH == 64
    for module in (compose, fastread):
        for own in ("_NULLS", "_FLOAT_SPECIAL", "_TAG", "MAX_NUMBER_CHARS", "_MAX_NUMBER_CHARS"):
            assert not hasattr(module, own), (module.__name__, own)
