"""The model: frozen dataclasses, date intervals, review intervals, and the Site's shared predicates."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from briefing.frontmatter import make_site, parse_page
from briefing.model import Actor, Entity, Event, Page, add_interval, parse_date

ACTOR = b"---\ntype: actor\nkind: state\nname: Canada\nsummary: A state.\nlast_reviewed: 2026-11-01\n---\n\n# Canada\n"


def _canada() -> tuple[Page, Entity]:
    page, entity, problems = parse_page("actors/canada.md", ACTOR)
    assert problems == [] and page is not None and entity is not None
    return page, entity


def test_records_refuse_assignment_and_deletion():
    page, entity = _canada()
    site = make_site([page], [entity], [], "6 months")
    for record, field in ((page, "title"), (entity, "name"), (site, "pages")):
        with pytest.raises(AttributeError):
            setattr(record, field, None)
        with pytest.raises(AttributeError):
            delattr(record, field)
    assert page.title == "Canada" and entity.name == "Canada"


def test_constructors_take_keywords_with_defaults():
    """Check that a kind's own fields default to empty values and unknown fields are refused."""
    page, _ = _canada()
    bare = Page("notes.md", None, "notes", {}, "", 1, (), "Notes")
    assert (bare.unclosed, bare.links, bare.redirect_from) == ((), (), ())
    actor = Actor(page=page, id="canada", type="actor", name="Canada", kind="state")
    assert (actor.summary, actor.last_reviewed, actor.tags, actor.roles, actor.kind) == (
        "",
        None,
        (),
        (),
        "state",
    )
    assert actor.path == "actors/canada.md"
    with pytest.raises(TypeError):
        Actor(page=page, id="canada", type="actor", name="Canada", colour="red")
    with pytest.raises(TypeError):
        Event(page=page, id="e", type="event", name="E", kind="state")  # another kind's field


def test_pages_and_entities_compare_by_identity_sites_by_fields():
    page, entity = _canada()
    again_page, again_entity = _canada()
    assert page != again_page and entity != again_entity and page == page
    assert len({page, again_page, entity, again_entity}) == 4  # hashable, by identity
    one = make_site([page], [entity], [], "6 months")
    two = dataclasses.replace(one)
    assert one == two and one != make_site([], [], [], "6 months")
    with pytest.raises(TypeError):
        hash(one)


def test_parse_date_gives_the_interval_of_its_precision():
    """Check that a date's interval covers the day, the month (leap years included) or the year it names."""
    assert parse_date("2020-02").last == date(2020, 2, 29)
    assert parse_date("1900-02").last == date(1900, 2, 28)
    assert (parse_date("2021").first, parse_date("2021").last) == (date(2021, 1, 1), date(2021, 12, 31))
    assert parse_date("2021-09-24").human() == "24 September 2021"
    for bad in ("2021-02-30", "2021-13", "21-01-01", "2021-9-24"):
        assert parse_date(bad) is None, bad


def test_add_interval_keeps_month_ends_in_range():
    """Check that review intervals add calendar months and years (31 Aug + 6 months is 28 Feb or 29 Feb)."""
    assert add_interval(date(2026, 8, 31), "6 months") == date(2027, 2, 28)
    assert add_interval(date(2027, 8, 31), "6 months") == date(2028, 2, 29)
    assert add_interval(date(2024, 2, 29), "1 year") == date(2025, 2, 28)
    assert add_interval(date(2026, 1, 1), "90 days") == date(2026, 4, 1)
    assert add_interval(date(2026, 1, 1), "2 weeks") == date(2026, 1, 15)
    assert add_interval(date(2026, 1, 1), "half a year") is None
    assert add_interval(date(9999, 6, 1), "1 year") == date.max


def _event(eid: str, when: str) -> Entity:
    raw = f"---\ntype: event\ntitle: E {eid}\nsummary: E.\ndate: {when}\nactors: [canada]\n---\n\n# E\n".encode()
    _, entity, _ = parse_page(f"events/{eid}.md", raw)
    assert isinstance(entity, Event)
    return entity


def test_events_by_year_groups_dated_events_oldest_first():
    page, canada = _canada()
    events = [
        _event("c", "2020-03-01"),
        _event("a", "2019-12"),
        _event("b", "2020-01-05"),
        _event("d", "2020"),
        _event("e", "2018-05-01"),
    ]
    site = make_site([page], [canada, *events], [], "6 months")
    by_year = site.events_by_year()
    assert list(by_year) == [2018, 2019, 2020]
    assert [[ev.id for ev in evs] for evs in by_year.values()] == [["e"], ["a"], ["d", "b", "c"]]
    by_year.clear()  # a copy: the Site's index stays
    assert list(site.events_by_year()) == [2018, 2019, 2020]


def test_site_review_predicates():
    """Check that the Site answers 'review due', 'overdue' and 'events since the last review' for an entity."""
    page, canada = _canada()  # last reviewed 2026-11-01, default interval 6 months
    later = _event("later", "2026-11-15")
    same_day = _event("same", "2026-11-01")
    site = make_site([page], [canada, later, same_day], [], "6 months")
    assert site.review_by(canada) == date(2027, 5, 1)
    assert not site.overdue(canada, date(2027, 5, 1)) and site.overdue(canada, date(2027, 5, 2))
    assert [ev.id for ev in site.events_since_review(canada)] == ["later"]
