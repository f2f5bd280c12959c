"""Build tests: real `mkdocs build --strict` runs on the real docs/ and on fixture sites in tmp_path."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sitekit import BASE, ROOT, broken_links, build_real_site, make_in, mkdocs_build, write_site

pytestmark = pytest.mark.build


def tree_hash(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    """The real docs/ built strictly, once for this module."""
    return build_real_site(tmp_path_factory.mktemp("real") / "site")


def test_real_site_builds_strict_with_home_page(real_site: Path) -> None:
    """Check that the real docs/ build with --strict and the home page carries the generated lists."""
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assert "<title>" in home and "Canada" in home
    assert "briefing:open-issues" not in home  # the marker was replaced by the list
    assert 'href="issues/' in home
    for page in (
        "actors/index.html",
        "issues/index.html",
        "timeline/index.html",
        "graph/index.html",
        "needs-review/index.html",
        "sources/index.html",
        "events/index.html",
    ):
        assert (real_site / page).is_file(), page


def test_real_site_links_resolve(real_site: Path) -> None:
    """Check that every relative link of the built real site (hook lists and graph included) reaches an existing
    page or file, and every #anchor an existing id."""
    assert broken_links(real_site) == []


def test_hook_lists_are_in_page_and_toc_but_not_in_search(tmp_path: Path) -> None:
    """Check that an entity page shows its infobox, its other names under the title, and its lists under their
    own headings and in the table of contents; and that search indexes the other names but neither the infobox
    nor the lists (they repeat other pages)."""
    canada = textwrap.dedent(BASE["actors/canada.md"]).replace(
        "summary: A state.", "summary: A state.\naliases: [Dominion of Canada]\nnative_name: 加拿大"
    )
    write_site(tmp_path, {"actors/canada.md": canada})
    run = mkdocs_build(tmp_path)
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "site" / "actors" / "canada" / "index.html").read_text(encoding="utf-8")
    title_end = page.index("</h1>")
    notice, box = (
        page.index('class="review-notice"'),
        page.index('<aside class="infobox" aria-label="Key facts">'),
    )
    aka = page.index(
        '<p class="aka">Also written <em>Dominion of Canada</em>. Native name: <span lang="zh">加拿大'
    )
    assert title_end < aka < notice < box  # under the title: other names, then the notice and the key facts
    assert '<h2 id="timeline">Timeline' in page
    assert '<h2 id="what-links-here">What links here' in page
    assert 'href="#timeline"' in page and 'href="#what-links-here"' in page  # table of contents
    assert '<a href="../../events/2021-09-24-michaels-released/">' in page
    index = (tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Dominion of Canada" in index  # other names are searchable
    assert "canada/#timeline" not in index and "What links here" not in index
    assert "Summary" not in index and "Last reviewed" not in index
    leaked = [p for p in (tmp_path / "site").rglob("*.html") if "<!-- briefing:" in p.read_text("utf-8")]
    assert leaked == []
    assert broken_links(tmp_path / "site") == []


def test_page_text_cannot_move_what_the_hooks_insert(tmp_path: Path) -> None:
    """Check that a page containing look-alike marker comments still gets its infobox under the title and its
    lists at the end, once each."""
    canada = textwrap.dedent(BASE["actors/canada.md"]).replace(
        "# Canada", "<!-- briefing:top -->\n\n# Canada"
    )
    canada += "\nText.\n\n<!-- briefing:lists -->\n"
    write_site(tmp_path, {"actors/canada.md": canada})
    run = mkdocs_build(tmp_path)
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "site" / "actors" / "canada" / "index.html").read_text(encoding="utf-8")
    assert page.count('<aside class="infobox"') == 1 and page.count('<h2 id="timeline">') == 1
    assert page.index("</h1>") < page.index('<aside class="infobox"') < page.index("<p>Text.</p>")
    assert page.index("<!-- briefing:top -->") < page.index("</h1>")


def test_links_resolve_without_directory_urls(tmp_path: Path) -> None:
    """Check that the hook's links follow `use_directory_urls: false` (pages as name.html)."""
    write_site(tmp_path, {})
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    run = mkdocs_build(tmp_path)
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "site" / "actors" / "canada.html").read_text(encoding="utf-8")
    assert '<a href="../events/2021-09-24-michaels-released.html">' in page
    assert broken_links(tmp_path / "site") == []


def test_real_site_has_no_third_party_assets(real_site: Path) -> None:
    """Check that no built page loads a script, stylesheet, font or image from another host."""
    pattern = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="(https?:)?//', re.I)
    offenders = []
    for page in real_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for m in pattern.finditer(text):
            tag = text[m.start() : text.find(">", m.start()) + 1]
            if 'rel="canonical"' in tag or 'rel="alternate"' in tag:
                continue  # canonical/alternate links are not requests
            offenders.append((page.relative_to(real_site).as_posix(), tag[:120]))
    assert offenders == []


def test_seed_meeting_not_presented_as_an_event() -> None:
    """Check that no event page presents the seed's Wang Yi–Garneau meeting as something that happened."""
    for page in (ROOT / "docs" / "events").glob("*.md"):
        front = page.read_text(encoding="utf-8").split("---")[1]
        actors = re.search(r"actors:(.*?)(?:\n\w|\Z)", front, re.S)
        names = actors.group(1) if actors else ""
        assert not ("wang-yi" in names and "marc-garneau" in names), page.name


def test_every_event_cites_an_https_source() -> None:
    """Check that every event page cites at least one source page whose url is https."""
    sources = {}
    for page in (ROOT / "docs" / "sources").glob("*.md"):
        m = re.search(r"^url: *(\S+)", page.read_text(encoding="utf-8"), re.M)
        sources[page.stem] = m.group(1) if m else ""
    events = list((ROOT / "docs" / "events").glob("*.md"))
    assert events
    for page in events:
        text = page.read_text(encoding="utf-8")
        m = re.search(r"^sources: *\[(.*?)\]", text, re.M) or re.search(
            r"^sources:\n((?:  - .*\n)+)", text, re.M
        )
        assert m, page.name
        ids = re.findall(r"[a-z0-9][a-z0-9-]*", m.group(1))
        assert any(sources.get(i, "").startswith("https://") for i in ids), page.name


def test_readme_commands_are_makefile_targets() -> None:
    """Check that every `make X` the README shows is a target of the Makefile."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    used = set(re.findall(r"`make ([a-z]+)", readme)) | set(re.findall(r"^make ([a-z]+)", readme, re.M))
    assert {"serve", "test"} <= used
    assert used <= targets, used - targets


def test_broken_site_fails_strict_build_with_positions(tmp_path: Path) -> None:
    """Check that a dangling reference fails --strict with the file, line, column and a suggestion."""
    issue = textwrap.dedent(BASE["issues/two-michaels.md"])
    write_site(tmp_path, {"issues/two-michaels.md": issue.replace("marc-garneau]", "marc-garnau]")})
    run = mkdocs_build(tmp_path)
    assert run.returncode != 0
    assert (
        "issues/two-michaels.md:8:18: error: 'actors' refers to 'marc-garnau', but no actor has that id. "
        "Did you mean 'marc-garneau'? [unknown-reference]"
    ) in run.stderr
    assert "Traceback" not in run.stderr


def test_clean_fixture_builds_and_rewrites_wikilinks(tmp_path: Path) -> None:
    """Check that a clean fixture builds strictly and [[id]] becomes a link showing the display name."""
    write_site(
        tmp_path,
        {
            "index.md": "# Home\n\nSee [[canada]], [[marc-garneau#early-life|his youth]] "
            "and `[[not-a-link]]`.\n"
        },
    )
    run = mkdocs_build(tmp_path)
    assert run.returncode == 0, run.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<a href="actors/canada/">Canada</a>' in home
    assert '<a href="actors/marc-garneau/#early-life">his youth</a>' in home
    assert "<code>[[not-a-link]]</code>" in home


def test_references_in_headings_text_and_tables_all_become_links(tmp_path: Path) -> None:
    """Check that references in a heading (kept in the table of contents with their label), in text, emphasis and
    a table cell all end as links with no token left over, that a label is plain text (Markdown's typography
    does not touch it), and that a page whose text has a private-use character keeps it and its links."""
    write_site(
        tmp_path,
        {
            "index.md": "# Home\n\n## About [[canada]]\n\nSee *[[marc-garneau|the 24th minister]]*.\n\n"
            "| who | note |\n|---|---|\n| [[canada\\|Canada]] | x |\n",
            "notes.md": "# Notes\n\nA stray \ue000 character, then [[canada]].\n",
        },
    )
    run = mkdocs_build(tmp_path)
    assert run.returncode == 0, run.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    notes = (tmp_path / "site" / "notes" / "index.html").read_text(encoding="utf-8")
    assert "\ue000" not in home and "\ue001" not in home
    assert '<h2 id="about-canada">About <a href="actors/canada/">Canada</a>' in home
    assert re.search(
        r'<a href="#about-canada" class="md-nav__link">\s*<span[^>]*>\s*About Canada\s*</span>', home
    )
    assert '<em><a href="actors/marc-garneau/">the 24th minister</a></em>' in home
    assert '<td><a href="actors/canada/">Canada</a></td>' in home
    assert 'A stray \ue000 character, then <a href="../actors/canada/">Canada</a>.' in notes
    assert broken_links(tmp_path / "site") == []


def test_front_matter_parsed_once_still_reaches_mkdocs_and_material(tmp_path: Path) -> None:
    """Check that the meta MkDocs gets from the hook (it no longer parses the YAML itself) drives the page as
    before: the title, the description, `hide: [toc]`, and an entity page's title from its name."""
    write_site(
        tmp_path,
        {
            "notes.md": "---\ntitle: Notes on the file\ndescription: What the notes say\nhide:\n  - toc\n---\n\n"
            "# Notes\n\n## A section\n\nText.\n",
        },
    )
    run = mkdocs_build(tmp_path)
    assert run.returncode == 0, run.stderr
    notes = (tmp_path / "site" / "notes" / "index.html").read_text(encoding="utf-8")
    assert "<title>Notes on the file - Fixture briefing</title>" in notes
    assert '<meta name="description" content="What the notes say">' in notes
    assert 'data-md-type="toc" hidden>' in notes  # hide: [toc]
    canada = (tmp_path / "site" / "actors" / "canada" / "index.html").read_text(encoding="utf-8")
    assert "<title>Canada - Fixture briefing</title>" in canada
    assert 'data-md-type="toc" hidden>' not in canada


def test_pages_with_windows_line_ends_or_a_lone_carriage_return_build_as_mkdocs_reads_them(
    tmp_path: Path,
) -> None:
    """A page with \\r\\n line ends is handed to MkDocs from the loader; one with a lone \\r is read again. Both
    render their front matter's title and their whole body."""
    write_site(
        tmp_path,
        {
            "crlf.md": "---\r\ntitle: Windows lines\r\n---\r\n\r\n# Crlf\r\n\r\nFirst.\r\n\r\nLast words.\r\n",
            "cr.md": "---\ntitle: A lone return\n---\n\n# Cr\n\nFirst.\rLast words here.\n",
        },
    )
    run = mkdocs_build(tmp_path)
    assert run.returncode == 0, run.stderr
    crlf = (tmp_path / "site" / "crlf" / "index.html").read_text(encoding="utf-8")
    assert "<title>Windows lines - Fixture briefing</title>" in crlf and "Last words." in crlf
    cr = (tmp_path / "site" / "cr" / "index.html").read_text(encoding="utf-8")
    assert "<title>A lone return - Fixture briefing</title>" in cr and "Last words here." in cr


def test_a_second_build_in_the_same_process_sees_each_pages_front_matter(tmp_path: Path, monkeypatch) -> None:
    """Check what `mkdocs serve` does after an edit, two builds in one process: the edited page gets its new front
    matter, and the pages reused from the loader's cache still get theirs (a copy of what MkDocs had last time)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("BRIEFING_TODAY", "2026-11-29")
    write_site(tmp_path, {"notes.md": "---\ntitle: First\n---\n\n# Notes\n"})

    def built(rel: str) -> str:
        return (tmp_path / "site" / rel).read_text(encoding="utf-8")

    for title in ("First", "Second title"):
        (tmp_path / "docs" / "notes.md").write_text(
            f"---\ntitle: {title}\n---\n\n# Notes\n", encoding="utf-8"
        )
        build(load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
        assert f"<title>{title} - Fixture briefing</title>" in built("notes/index.html")
        assert "<title>Canada - Fixture briefing</title>" in built("actors/canada/index.html")


def test_review_notices_follow_today_and_build_stays_green(tmp_path: Path) -> None:
    """Check that a page is 'in date' under one today and 'may be out of date' under a later one, both green."""
    write_site(tmp_path, {})
    fresh = mkdocs_build(tmp_path, today="2026-11-29")
    assert fresh.returncode == 0, fresh.stderr
    page = (tmp_path / "site" / "actors" / "canada" / "index.html").read_text(encoding="utf-8")
    assert "Last reviewed on 1 November 2026; next review due 1 May 2027." in page
    assert "may be out of date" not in page
    review = (tmp_path / "site" / "needs-review" / "index.html").read_text(encoding="utf-8")
    assert "Every page is within its review interval" in review

    late = mkdocs_build(tmp_path, today="2027-06-01")
    assert late.returncode == 0, late.stderr  # only 'today' moved: yesterday's green build stays green
    page = (tmp_path / "site" / "actors" / "canada" / "index.html").read_text(encoding="utf-8")
    assert "Last reviewed on 1 November 2026; this page may be out of date." in page
    assert "Its review was due on 1 May 2027." in page
    review = (tmp_path / "site" / "needs-review" / "index.html").read_text(encoding="utf-8")
    assert 'href="../actors/canada/"' in review and "(overdue)" in review


def test_unreadable_input_stops_build_without_traceback(tmp_path: Path) -> None:
    """Check that a non-UTF-8 page and an include leaving the repository stop the build with a message."""
    write_site(tmp_path, {"notes.md": b"# Notes\n\ncaf\xe9\n"})
    run = mkdocs_build(tmp_path, strict=False)
    assert run.returncode != 0
    assert "notes.md:3:4: error: The file is not UTF-8 text" in run.stderr
    assert "Traceback" not in run.stderr

    write_site(tmp_path, {"notes.md": '# Notes\n\n--8<-- "../../../etc/hostname"\n'})
    run = mkdocs_build(tmp_path, strict=False)
    assert run.returncode != 0
    assert (
        "notes.md:3:9: error: The include '../../../etc/hostname' names a file outside docs/snippets/"
        in run.stderr
    )
    assert "Traceback" not in run.stderr


def test_build_and_check_never_modify_docs(tmp_path: Path) -> None:
    """Check that neither the build nor the command-line check changes a byte under docs/."""
    write_site(tmp_path, {"events/2021-09-24-michaels-released.md": None})
    before = tree_hash(tmp_path / "docs")
    mkdocs_build(tmp_path)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing",
            "check",
            "--docs",
            str(tmp_path / "docs"),
            "--config",
            str(tmp_path / "mkdocs.yml"),
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")},
        capture_output=True,
        timeout=120,
    )
    assert tree_hash(tmp_path / "docs") == before


def test_builds_are_reproducible(tmp_path: Path) -> None:
    """Check that two builds of the same content with the same SOURCE_DATE_EPOCH are byte-identical."""
    write_site(tmp_path, {})
    env = {"SOURCE_DATE_EPOCH": "1764374400"}
    trees = []
    for _ in range(2):
        run = mkdocs_build(tmp_path, extra_env=env)
        assert run.returncode == 0, run.stderr
        trees.append(tree_hash(tmp_path / "site"))
        shutil.rmtree(tmp_path / "site")
    assert trees[0] == trees[1]
    assert "sitemap.xml" in trees[0] and "search/search_index.json" in trees[0]


def test_failed_make_build_keeps_previous_site(tmp_path: Path) -> None:
    """Check that `make build` on broken content leaves the previous site/ untouched."""
    write_site(tmp_path, {})
    make, env = make_in(tmp_path)
    make.insert(2, "build")
    ok = subprocess.run(make, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    before = tree_hash(tmp_path / "site")
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nSee [[canda]].\n", encoding="utf-8")
    bad = subprocess.run(make, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0
    assert "index.md:3:5: error: The text refers to 'canda'" in bad.stderr
    assert tree_hash(tmp_path / "site") == before


def test_renamed_page_leaves_a_redirect_at_its_old_address(tmp_path: Path) -> None:
    """Check that `redirect_from: [old-id]` leaves, at the old page's address, an HTML page that refreshes to the
    new one and links to it, with no script."""
    event = textwrap.dedent(BASE["events/2021-09-24-michaels-released.md"]).replace(
        "sources: [cbc-2021-09-24-released]",
        "sources: [cbc-2021-09-24-released]\nredirect_from: [2021-09-michaels]",
    )
    write_site(tmp_path, {"events/2021-09-24-michaels-released.md": event})
    run = mkdocs_build(tmp_path)
    assert run.returncode == 0, run.stderr
    old = (tmp_path / "site" / "events" / "2021-09-michaels" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../../events/2021-09-24-michaels-released/">' in old
    assert '<a href="../../events/2021-09-24-michaels-released/">Kovrig and Spavor released</a>' in old
    assert "<script" not in old
    assert broken_links(tmp_path / "site") == []


def test_real_site_pages_have_one_policy_allowing_only_materials_scripts(real_site: Path) -> None:
    """Check that every HTML file of the real site carries the same single Content-Security-Policy, that every
    inline script in it is one the policy allows by hash, and that no page has an inline style."""
    from briefing import csp

    policies = set()
    for page in real_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', text)
        assert len(found) == 1, page
        policies.add(found[0])
        assert csp.unknown_scripts(text, set(re.findall(r"'sha256-[^']+'", found[0]))) == [], page
        assert " style=" not in text and "<style" not in text, page
    assert len(policies) == 1
