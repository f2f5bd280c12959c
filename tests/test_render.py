"""Rendering: bounded backlink lists, link labels, URLs."""

from __future__ import annotations

import textwrap

from briefing.frontmatter import make_site, parse_page
from briefing.render import MAX_LIST, render_sections, url_rel
from sitekit import BASE


def site_with_events(n: int):
    files = {k: textwrap.dedent(v) for k, v in BASE.items()}
    for i in range(n):
        files[f"events/2021-09-{i % 28 + 1:02d}-e{i}.md"] = textwrap.dedent(f"""\
            ---
            type: event
            title: Event {i}
            date: 2021-09-{i % 28 + 1:02d}
            actors: [canada]
            issues: [two-michaels]
            sources: [cbc-2021-09-24-released]
            ---

            # Event {i}
            """)
    pages, entities = [], []
    for rel, text in sorted(files.items()):
        page, entity, _ = parse_page(rel, text.encode())
        pages.append(page)
        if entity:
            entities.append(entity)
    return make_site(pages, entities, [], "6 months")


def test_entity_timeline_is_capped_with_pointer_to_timeline() -> None:
    """Check that a hub actor lists only the newest MAX_LIST events and says how many more exist."""
    site = site_with_events(MAX_LIST + 10)
    out = render_sections(site, site.entities["canada"])
    timeline = out.split("## Timeline")[1].split("\n## ")[0]
    assert timeline.count("\n- **") == MAX_LIST
    assert "- … and 11 more: see the [timeline](../timeline/index.md) for every event." in timeline


def test_short_timeline_is_complete() -> None:
    """Check that an actor with few events lists every one of them, with no 'more' line."""
    site = site_with_events(3)
    out = render_sections(site, site.entities["canada"])
    assert out.split("## Timeline")[1].split("\n## ")[0].count("\n- **") == 4  # 3 + the base event
    assert "more:" not in out


def test_source_links_name_their_publisher() -> None:
    """Check that an event's infobox names a source with its publisher."""
    from briefing.render import render_infobox

    site = site_with_events(0)
    box = render_infobox(site, site.entities["2021-09-24-michaels-released"])
    assert "[Kovrig and Spavor released (CBC News)](../sources/cbc-2021-09-24-released.md)" in box


def test_url_rel_between_pages() -> None:
    """Check that relative URLs between built pages follow MkDocs' directory URLs."""
    assert url_rel("graph.md", "actors/canada.md") == "../actors/canada/"
    assert url_rel("index.md", "actors/canada.md") == "actors/canada/"
    assert url_rel("actors/canada.md", "index.md") == "../../"
    assert url_rel("graph.md", "actors/canada.md", use_directory_urls=False) == "actors/canada.html"


def test_anchor_slugs_match_python_markdown() -> None:
    """Check that our copy of toc's slugify agrees with Python-Markdown's on varied headings."""
    from markdown.extensions.toc import slugify as md_slugify

    from briefing.text import slugify

    for heading in (
        "Role in Canada–China relations",
        "Žlutý kůň & co.",
        "Status as of 29 November 2026",
        "What's next?",
        "  spaced   out  ",
        "Meng Wanzhou: the extradition",
    ):
        assert slugify(heading, "-") == md_slugify(heading, "-")


def test_source_infobox_says_when_it_was_read() -> None:
    """Check that a source's infobox gives the reading date, or says that none was recorded."""
    from briefing.render import render_infobox

    site = site_with_events(0)
    src = site.entities["cbc-2021-09-24-released"]
    assert "Read on\n:   not recorded" in render_infobox(site, src)
    text = textwrap.dedent(BASE["sources/cbc-2021-09-24-released.md"]).replace(
        "kind: secondary", "kind: secondary\naccessed: 2026-11-29"
    )
    page, entity, _ = parse_page("sources/cbc-2021-09-24-released.md", text.encode())
    assert "Read on\n:   29 November 2026" in render_infobox(site, entity)
