"""The model's records behave as the frozen dataclasses they replaced: constructors, immutability, equality."""

from __future__ import annotations

import pytest

from briefing.frontmatter import make_site, parse_page
from briefing.model import Actor, Entity, Event, Page, Site

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


def test_constructors_keep_the_dataclass_signatures_and_defaults():
    page, _ = _canada()
    bare = Page("notes.md", None, "notes", {}, "", 1, (), "Notes")
    assert (bare.unclosed, bare.links) == ((), ())
    actor = Actor(page, "canada", "actor", "Canada", kind="state")
    assert (actor.summary, actor.last_reviewed, actor.tags, actor.roles, actor.kind) == (
        "",
        None,
        (),
        (),
        "state",
    )
    event = Event(page, "e", "event", "E")
    assert (event.date, event.actors, event.place) == (None, (), "")
    assert actor.path == "actors/canada.md"
    assert set(Actor.FIELDS) == {
        "kind",
        "native_name",
        "aliases",
        "born",
        "died",
        "founded",
        "dissolved",
        "roles",
    }
    with pytest.raises(TypeError, match="has no field 'colour'"):
        Actor(page, "canada", "actor", "Canada", colour="red")
    with pytest.raises(TypeError):
        Event(page, "e", "event", "E", kind="state")  # another kind's field


def test_pages_and_entities_compare_by_identity_sites_by_fields():
    page, entity = _canada()
    again_page, again_entity = _canada()
    assert page != again_page and entity != again_entity and page == page
    assert len({page, again_page, entity, again_entity}) == 4  # hashable, by identity
    one = make_site([page], [entity], [], "6 months")
    two = Site(one.pages, one.entities, one.review_in, one.tags_allowed, one.problems)
    assert one == two and one != make_site([], [], [], "6 months")
    with pytest.raises(TypeError):
        hash(one)


def test_repr_names_the_fields_but_not_computed_values():
    page, _ = _canada()
    assert page.anchors == frozenset({"canada"})  # a cached_property, now in the instance
    text = repr(page)
    assert (
        text.startswith("Page(path='actors/canada.md', type='actor', id='canada'") and "anchors" not in text
    )


def test_key_positions_behave_as_the_dict_they_stand_for():
    from briefing.model import KeyPositions, Pos

    keys = KeyPositions(["type", 2, 1, "title", 3, 1, "type", 9, 1])
    assert keys["type"] == Pos(9, 1) and keys.get("title") == Pos(3, 1) and keys.get("url") is None
    assert list(keys) == ["type", "title"] and len(keys) == 2 and "title" in keys
    assert dict(keys) == {"type": Pos(9, 1), "title": Pos(3, 1)} and repr(keys) == repr(dict(keys))
    assert len(KeyPositions([])) == 0


def test_parse_date_remembers_without_changing_answers():
    from briefing.model import _parse_date, parse_date

    for text in (
        "2021-02-03",
        "2021-02",
        "2021",
        "2021-02-30",
        "2021-13",
        "21-01-01",
        "2020-02-29",
        "1900-02-29",
    ):
        first, second = parse_date(text), parse_date(text)
        assert first == second == _parse_date(text), text


def _event(eid: str, when: str) -> Entity:
    raw = f"---\ntype: event\ntitle: E {eid}\ndate: {when}\nactors: [canada]\n---\n\n# E\n".encode()
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
