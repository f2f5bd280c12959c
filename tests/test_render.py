"""Rendering: bounded backlink lists, link labels, URLs."""

from __future__ import annotations

import textwrap

from briefing.frontmatter import make_site, parse_page
from briefing.render import (
    G_MAX_ACTORS,
    G_MAX_ISSUES,
    MAX_LIST,
    Linker,
    assemble,
    render_entity_top,
    render_graph_page,
    render_infobox,
    render_sections,
)
from sitekit import BASE, TODAY


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
            summary: Event {i} happened.
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


def section(blocks, title: str) -> str:
    return dict(blocks)[title]


def test_entity_timeline_is_capped_with_pointer_to_timeline() -> None:
    """Check that a hub actor lists only the newest MAX_LIST events and says how many more exist."""
    site = site_with_events(MAX_LIST + 10)
    timeline = section(render_sections(site, site.entities["canada"]), "Timeline")
    assert timeline.count('<li class="event-item">') == MAX_LIST
    assert (
        '<li>… and 11 more: see the <a href="../../timeline/">timeline</a> for every event.</li>' in timeline
    )


def test_short_timeline_is_complete() -> None:
    """Check that an actor with few events lists every one of them, with no 'more' line."""
    site = site_with_events(3)
    blocks = render_sections(site, site.entities["canada"])
    assert section(blocks, "Timeline").count('<li class="event-item">') == 4  # 3 + the base event
    assert "more:" not in "".join(html for _, html in blocks)


def test_infobox_sources_are_numbered_with_accessible_names() -> None:
    """Check that an event's infobox gives its sources as citation numbers whose accessible name is the source's
    title and publisher, and that the page's Sources list carries the same number."""
    from briefing.render import Citations, Linker, render_sources_list

    site = site_with_events(0)
    cites = Citations()
    box = render_infobox(site, site.entities["2021-09-24-michaels-released"], cites=cites)
    assert 'aria-label="Source 1: Kovrig and Spavor released (CBC News)">1</a>' in box
    listing = render_sources_list(site, cites, Linker("events/2021-09-24-michaels-released.md"))
    assert '<li id="cite-1" value="1">CBC News, <a href="https://www.cbc.ca/news/x">' in listing


def test_html_in_front_matter_value_is_rendered_inert() -> None:
    """Check that raw HTML and link syntax in a front-matter value reach the page as text, not markup."""
    from briefing.frontmatter import make_site, parse_page

    path = "sources/cbc-2021-09-24-released.md"
    src = textwrap.dedent(BASE[path]).replace(
        "publisher: CBC News", 'publisher: <img src=x onerror=alert(1)> [x](javascript:y) "q"'
    )
    page, entity, found = parse_page(path, src.encode())
    assert found == []
    site = make_site([page], [entity], [], "6 months")
    out = render_entity_top(site, entity, TODAY, Linker(path))
    assert "&lt;img src=x onerror=alert(1)&gt; [x](javascript:y) &quot;q&quot;" in out
    assert "<img" not in out and 'href="javascript' not in out


def test_section_ids_do_not_collide_with_the_page_headings() -> None:
    """Check that a list heading gets the toc's slug, suffixed when the page already uses that id."""
    body, heads = assemble([("Timeline", "<ul></ul>"), ("What links here", "<ul></ul>")], {"timeline"})
    assert heads == [("timeline_1", "Timeline"), ("what-links-here", "What links here")]
    assert '<h2 id="timeline_1">Timeline<a class="headerlink" href="#timeline_1"' in body


def test_relative_urls_between_pages() -> None:
    """Check that relative URLs between built pages follow MkDocs' directory URLs."""
    assert Linker("graph.md").url("actors/canada.md") == "../actors/canada/"
    assert Linker("index.md").url("actors/canada.md") == "actors/canada/"
    assert Linker("actors/canada.md").url("index.md") == "../../"
    assert Linker("graph.md", use_directory_urls=False).url("actors/canada.md") == "actors/canada.html"
    assert Linker("actors/canada.md", False).url("events/e.md") == "../events/e.html"
    assert Linker("timeline/2021.md").url("timeline/index.md") == "../../timeline/"


def test_source_infobox_says_when_it_was_read() -> None:
    """Check that a source's infobox gives the reading date, or says that none was recorded."""
    site = site_with_events(0)
    src = site.entities["cbc-2021-09-24-released"]
    assert "<dt>Read on</dt><dd>not recorded</dd>" in render_infobox(site, src)
    text = textwrap.dedent(BASE["sources/cbc-2021-09-24-released.md"]).replace(
        "kind: secondary", "kind: secondary\naccessed: 2026-11-29"
    )
    page, entity, _ = parse_page("sources/cbc-2021-09-24-released.md", text.encode())
    assert "<dt>Read on</dt><dd>29 November 2026</dd>" in render_infobox(site, entity)


def test_wikilinks_become_markdown_links_to_the_target_files() -> None:
    """Check that [[id]], [[id|label]] and [[id#anchor|label]] become Markdown links to the target's file
    (relative to the page, for MkDocs to resolve and validate), code spans stay text, table escapes are honoured,
    and a label is made inert."""
    from briefing.render import rewrite_wikilinks

    site = site_with_events(0)
    body = "See [[canada]], `[[not-a-link]]` and [[marc-garneau#early-life|his *youth*]].\n\n"
    body += "| a | b |\n|---|---|\n| [[canada\\|Canada]] | x |\n\n[[no-such-id]]\n"
    out = rewrite_wikilinks(body, site, "issues/notes.md")
    assert out == (
        "See [Canada](<../actors/canada.md>), `[[not-a-link]]` and "
        "[his \\*youth\\*](<../actors/marc-garneau.md#early-life>).\n\n"
        "| a | b |\n|---|---|\n| [Canada](<../actors/canada.md>) | x |\n\n[[no-such-id]]\n"
    )
    assert rewrite_wikilinks("# About [[canada]]", site, "index.md") == "# About [Canada](<actors/canada.md>)"


def _graph_site(n_quiet: int, n_busy: int, hubs: int, leaves_per_issue: int):
    """Issues q00.. with no actor (named to sort first), then issues b00.. each listing six hub actors (x000..,
    which sort after the leaves; with 3 * n_busy hubs each is in two issues, with fewer in more) and
    `leaves_per_issue` leaf actors of its own (l000, l001, l010..)."""
    actor = "---\ntype: actor\nkind: person\nname: {name}\nsummary: S.\nlast_reviewed: 2026-11-01\n---\n\n# {name}\n"
    issue = (
        "---\ntype: issue\ntitle: {name}\nsummary: S.\nstatus: open\nstarted: 2019-01-01\nactors: [{actors}]\n"
        "last_reviewed: 2026-11-01\n---\n\n# {name}\n"
    )
    files = {}
    for q in range(n_quiet):
        files[f"issues/q{q:02d}.md"] = issue.format(name=f"A quiet one {q:02d}", actors="")
    leaves = []
    for j in range(n_busy):
        mine = [f"x{(3 * j + t) % hubs:03d}" for t in range(6)]
        own = [f"l{j:02d}{t}" for t in range(leaves_per_issue)]
        leaves += own
        files[f"issues/b{j:02d}.md"] = issue.format(name=f"Busy {j:02d}", actors=", ".join(mine + own))
    for a in [f"x{h:03d}" for h in range(hubs)] + leaves:
        files[f"actors/{a}.md"] = actor.format(name=a.upper())
    pages, entities = [], []
    for rel, text in sorted(files.items()):
        page, entity, problems = parse_page(rel, text.encode())
        assert entity is not None, problems
        pages.append(page)
        entities.append(entity)
    return make_site(pages, entities, [], "6 months")


def _graph(site) -> tuple[str, str]:
    _, blocks = render_graph_page(site)
    return blocks[0][1], blocks[1][1]


def test_graph_is_capped_to_the_issues_with_most_actors() -> None:
    """Check that a site with more issues than G_MAX_ISSUES draws the most involved ones, in the graph and its
    table, and says how many the site has."""
    site = _graph_site(10, G_MAX_ISSUES, hubs=3 * G_MAX_ISSUES, leaves_per_issue=0)
    figure, table = _graph(site)
    assert figure.count('<th scope="col"><span>') == G_MAX_ISSUES == table.count("<tr><td>")
    for j in range(G_MAX_ISSUES):
        assert f"issues/b{j:02d}/" in figure and f"issues/b{j:02d}/" in table
    assert "issues/q" not in figure and "issues/q" not in table  # the ten issues without actors are left out
    assert figure.count('<th scope="row">') == 3 * G_MAX_ISSUES <= G_MAX_ACTORS  # every actor fits
    assert (
        f"The site has {G_MAX_ISSUES + 10} issues, and {3 * G_MAX_ISSUES} actors involved in issues."
        in figure
    )
    assert '<a href="../issues/">Issues</a> and <a href="../actors/">Actors</a> pages' in figure


def test_graph_keeps_the_actors_in_most_issues_when_there_are_too_many() -> None:
    """Check that with more actors than G_MAX_ACTORS the graph keeps those in the most issues, then the first by
    id: 60 hubs in four issues each, then 60 of the 80 leaves (those of the first 30 issues)."""
    site = _graph_site(0, G_MAX_ISSUES, hubs=60, leaves_per_issue=2)
    figure, table = _graph(site)
    assert figure.count('<th scope="row">') == G_MAX_ACTORS == 120
    for h in range(60):
        assert f"actors/x{h:03d}/" in figure and f"actors/x{h:03d}/" in table
    for j in range(G_MAX_ISSUES):
        for t in range(2):
            drawn = f"actors/l{j:02d}{t}/" in figure
            assert drawn == (j < 30) == (f"actors/l{j:02d}{t}/" in table), (j, t)
    assert "The site has 40 issues, and 140 actors involved in issues." in figure
    assert "the 40 issues with the most links to actors, and the 120 actors most involved in those." in figure


def test_small_graph_draws_everything_without_a_note() -> None:
    site = _graph_site(2, 5, hubs=15, leaves_per_issue=1)
    figure, table = _graph(site)
    assert figure.count('<th scope="col"><span>') == 7 and figure.count('<th scope="row">') == 20
    assert "graph-cut" not in figure and table.count("<tr><td>") == 7


def test_place_under_title() -> None:
    """Check that HTML goes right after the title (or after what follows it), or first when there is no title."""
    from briefing.render import place_under_title

    page = '<h1 id="a">A</h1>\n<p class="aka">Also B.</p>\n<p>Text.</p>'
    assert (
        place_under_title(page, "<aside/>")
        == '<h1 id="a">A</h1>\n<aside/>\n<p class="aka">Also B.</p>\n<p>Text.</p>'
    )
    after = '<p class="aka">Also B.</p>'
    assert place_under_title(page, "<aside/>", after).index("<aside/>") > page.index(after)
    assert place_under_title("<p>No title.</p>", "<aside/>") == "<aside/><p>No title.</p>"
    assert place_under_title(page, "") == page


def test_source_references_in_text_become_numbered_citations() -> None:
    """Check that source references in running text become superscript numbers (a parenthesis of citations only
    is dropped, a repeated source keeps its number), other references stay links, and a closing '## Sources'
    list of references gives way to the numbered list."""
    from briefing.render import Citations, rewrite_wikilinks

    site = site_with_events(0)
    cites = Citations()
    text = (
        "Both flew home ([[cbc-2021-09-24-released|CBC]]; [[globe-2021-01-12-shuffle]]). "
        "See [[canada]] and [[cbc-2021-09-24-released|again]].\n\n## Sources\n\n- [[globe-2021-01-12-shuffle]]\n"
    )
    out = rewrite_wikilinks(text, site, "notes.md", cites)
    assert out.startswith('Both flew home<sup class="cite"><a href="#cite-1" ')
    assert '>1</a>, <a href="#cite-2" ' in out and ". See [Canada](<actors/canada.md>) and <sup" in out
    assert out.count(">1</a>") == 2 and "## Sources" not in out
    assert cites.numbers == {"cbc-2021-09-24-released": 1, "globe-2021-01-12-shuffle": 2}
    plain = rewrite_wikilinks(text, site, "notes.md")
    assert "[Kovrig and Spavor released (CBC News)]" not in plain and "[CBC](<sources/" in plain
