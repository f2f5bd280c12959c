"""Fast paths agree with the slow paths they short-cut: each cheap gate or shortcut is checked against the code
it stands in front of, on ordinary, tricky and hostile input.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.checks import (
    CASE_TRAPS,
    RELATIVE_RE,
    RELATIVE_WORDS,
    UNSAFE_QUICK_RE,
    UNSAFE_QUICK_WORDS,
    _may_contain,
)

# --- case-insensitive gates in checks ---------------------------------------------------------


def test_case_traps_are_all_non_ascii_letters_of_ignorecase():
    """Every non-ASCII character that re.IGNORECASE matches to an ASCII letter is in CASE_TRAPS."""
    everything = "".join(chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    as_class = set(re.findall("[a-z]", everything, re.I))
    as_literals = set(re.findall("|".join("abcdefghijklmnopqrstuvwxyz"), everything, re.I))
    assert as_class == as_literals == set(CASE_TRAPS)


GATES = [(RELATIVE_RE, RELATIVE_WORDS), (UNSAFE_QUICK_RE, UNSAFE_QUICK_WORDS)]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SNIPPETS = [  # written out, not taken from the gates' own word lists
    "yesterday",
    "today",
    "tomorrow",
    "recently",
    "currently",
    "at present",
    *(f"on {day}" for day in WEEKDAYS),
    *(f"{which} {unit}" for which in ("last", "next", "this") for unit in ("week", "month", "year")),
    "On Monday",
    "LAST YEAR",
    "Yesterday",
    "<script",
    "< IFRAME",
    "<style>",
    " onclick =",
    "\tonLoad=",
    "javascript:",
    "JavaScript:",
    "data:",
    "&#106;",
    "&amp;",
    "&lt;",
]
TRAP_FOR = {"i": ["\u0130", "\u0131"], "s": ["\u017f"], "k": ["\u212a"]}


@st.composite
def disguised(draw) -> str:
    """A snippet with each letter in either case or replaced by a character IGNORECASE folds onto it."""
    out = []
    for ch in draw(st.sampled_from(SNIPPETS)):
        choices = [ch, ch.upper(), ch.lower(), *TRAP_FOR.get(ch.lower(), [])]
        out.append(draw(st.sampled_from(choices)))
    return "".join(out)


NOISE = st.text(alphabet=st.sampled_from(list("aeiknost yd:<>=&#;\n\t–é日KİıſDAY")), max_size=20)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(disguised(), NOISE), max_size=6))
def test_gates_never_hide_a_match(parts):
    text = "".join(parts)
    for regex, words in GATES:
        if regex.search(text):
            assert _may_contain(text, words), (regex.pattern, text)


@pytest.mark.parametrize(
    "text",
    [
        "On Monday we met",
        "ſcript: x",
        "JAVA\u017fCRIPT:",
        "the meeting ended yeſterday",
        "\u212aEEP",
        "plain text",
    ],
)
def test_gates_on_tricky_text(text):
    for regex, words in GATES:
        assert bool(regex.search(text)) <= _may_contain(text, words)
