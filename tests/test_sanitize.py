"""The output side of the security issue: the allow-list sanitiser and what it reports, plain-text titles, the
Content-Security-Policy, and which files under docs/ may be published."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from briefing import csp, publish
from briefing.frontmatter import make_site, parse_page
from briefing.sanitize import locate, plain_text, sanitize, source_urls
from sitekit import BASE, ROOT, TODAY, dedent

# Every construct the site's Markdown extensions produce (mkdocs.yml), written as contributors write them.
ALL_MARKDOWN = """\
# Title {#custom-id .note}

Text with *em*, **strong**, ^^ins^^, ~~del~~, ==mark==, H~2~O, x^2^, (c) --> +/- 1/2.
A [link](https://example.org "title"), [a page](../a.md#b), <https://auto.example>, <mail@example.org>.
![An image](assets/x.png){ width="300" loading=lazy }

The HTML spec.

*[HTML]: Hyper Text Markup Language

| left | centre | right |
|:--|:-:|--:|
| 1 | 2 | 3 |

Term
:   Definition

A footnote[^1].

[^1]: The note.

!!! note "Heads up"
    Admonition text.

??? warning "Collapsed"
    Details text.

=== "Tab A"
    A content

=== "Tab B"
    B content

```python
def f(x): return x
```

> A quote.

- a
- b

1. one
2. two

---

<div markdown>
**Markdown in HTML**
</div>

<abbr title="x">X</abbr> <kbd>Ctrl</kbd> <br> <sub>s</sub> <span lang="zh">中文</span>

[A button](https://example.org){ .md-button }
"""


@pytest.fixture(scope="module")
def site_markdown() -> markdown.Markdown:
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def test_everything_the_site_markdown_produces_passes_unchanged(site_markdown):
    """Check that the HTML of every construct of the site's Markdown extensions passes the sanitiser with nothing
    removed (tables align with align=, see use_align_attribute), so a real page is never reported."""
    html = site_markdown.convert(ALL_MARKDOWN)
    clean, removed = sanitize(html)
    assert removed == []
    for kept in ('align="center"', 'id="__tabbed_1_1"', 'name="__tabbed_1"', 'for="__tabbed_1_2"', "<details",
                 'class="md-button"', 'class="footnote-ref"', "<abbr", 'href="mailto:mail@example.org"'):  # fmt: skip
        assert kept in clean, kept


@pytest.mark.parametrize(
    ("html", "what", "gone"),
    [
        ("<svg/onload=x()>", "element <svg>", "<svg"),
        ('<p onmouseover="x()">a</p>', "attribute 'onmouseover' on <p>", "onmouseover"),
        ('<a href="java&#x09;script:x()">a</a>', "'javascript:' URL in <a href>", "script:"),
        ('<a href="jav&#97;script:x()">a</a>', "'javascript:' URL in <a href>", "script:"),
        ('<a href="javascript&colon;x()">a</a>', "'javascript:' URL in <a href>", "script:"),
        ('<a href=" JAVASCRIPT:x()">a</a>', "'javascript:' URL in <a href>", "SCRIPT:"),
        ('<img src="data:image/png;base64,AA">', "'data:' URL in <img src>", "data:"),
        ("<script>x()</script>", "element <script>", "x()"),
        ('<base href="https://evil.example/">', "element <base>", "<base"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "element <meta>", "refresh"),
        ('<link rel="stylesheet" href="https://evil.example/x.css">', "element <link>", "<link"),
        ('<div style="position:fixed;inset:0">x</div>', "attribute 'style' on <div>", "position"),
        ('<div id="__config">x</div>', "id '__config' on <div>", "__config"),
        ('<label for="__search">x</label>', "for '__search' on <label>", "__search"),
        ('<span data-md-component="search">x</span>', "attribute 'data-md-component' on <span>", "data-md"),
        ('<div class="md-dialog">x</div>', "class 'md-dialog' on <div>", "md-dialog"),
        ('<input type="text" name="pw">', "attribute 'type' on <input>", "text"),
        ('<a href="#" target="_blank">x</a>', "attribute 'target' on <a>", "_blank"),
        ('<iframe src="https://evil.example/"></iframe>', "element <iframe>", "<iframe"),
        ('<form action="https://evil.example/"><button>x</button></form>', "element <form>", "<form"),
    ],
)
def test_sanitiser_removes_and_reports(html, what, gone):
    """Check that each hostile construct is removed from the output and reported by what it was."""
    clean, removed = sanitize(html)
    assert gone not in clean
    assert any(r.what.startswith(what) for r in removed), [r.what for r in removed]


def test_sanitiser_keeps_text_links_and_comments():
    """Check that https, mailto, relative and fragment links, and HTML comments (Material's and the hooks' markers),
    are kept, and that links are not rewritten (no rel added)."""
    html = (
        '<p><a href="https://example.org/x?a=1&amp;b=2">a</a> <a href="mailto:x@example.org">m</a> '
        '<a href="../y/">r</a> <a href="#z">f</a></p>\n<!-- material/tags -->\n'
    )
    clean, removed = sanitize(html)
    assert removed == [] and "rel=" not in clean and "<!-- material/tags -->" in clean
    assert 'href="https://example.org/x?a=1&amp;b=2"' in clean


@pytest.mark.parametrize(
    ("value", "plain"),
    [
        ("Trade & tariffs: Canada's view", "Trade & tariffs: Canada's view"),
        ('</title><img src=x onerror="a()">', "/titleimg src=x onerror=a()"),
        ("&lt;script&gt;", "script"),
        ("&amp;lt;b&amp;gt;", "b"),
        ("two\nlines\u202e", "twolines"),
    ],
)
def test_plain_text(value, plain):
    """Check that a title made plain text has no '<', '>', '"', character reference or control character, and that
    '&' and "'" (in real titles) stay."""
    assert plain_text(value) == plain


def test_source_urls_decode_as_a_browser_does():
    """Check that URLs in Markdown source (HTML attributes, links, reference definitions) are read with their
    character references and tabs decoded, and located where they are written."""
    text = '<a href="java&#x09;script:x">a</a>\n[b](jav&#97;script:y)\n\n[r]: javascript&colon;z\n[ok](https://x.org)\n'
    found = [(text[at : at + 4], scheme) for at, _, scheme in source_urls(text)]
    assert found == [
        ("java", "javascript"),
        ("jav&", "javascript"),
        ("java", "javascript"),
        ("http", "https"),
    ]


def test_a_removal_is_located_in_the_source():
    """Check that each kind of removal is found where the page's Markdown writes it."""
    text = "# T\n\nText\n{: onmouseover=x }\n\n<svg/onload=y>\n\n[a](jav&#97;script:z)\n"
    _, removed = sanitize('<p onmouseover="x">Text</p><svg></svg><a href="javascript:z">a</a>')
    where = {r.kind: text[: locate(text, r)].count("\n") + 1 for r in removed}
    assert where == {"attribute": 4, "tag": 6, "url": 8}


# --- the Content-Security-Policy --------------------------------------------------------------------


def test_inline_scripts_are_only_the_ones_that_run():
    """Check that the scan for inline scripts skips scripts with a src and data blocks (JSON, JSON-LD), finds the
    others whatever their case or type, and takes '<script>' in a comment for a script (it errs on the safe side:
    in a sanitised page that is only text a writer wrote)."""
    html = (
        '<script>ok1()</script><script id="__config" type="application/json">{}</script>'
        '<script type="application/ld+json">{}</script><script src="x.js"></script>'
        '<SCRIPT type="module">ok2()</SCRIPT><script type="text/javascript">ok3()</script>'
    )
    assert csp.inline_scripts(html) == ["ok1()", "ok2()", "ok3()"]
    assert csp.inline_scripts("<!-- <script>a()</script> -->") == ["a()"]


def test_policy_and_where_it_goes():
    """Check the policy's directives, that it allows exactly the given scripts by hash, and that it goes right
    after <meta charset>, before any script."""
    allowed = {csp.script_hash("ok()")}
    policy = csp.policy(allowed)
    assert policy.startswith("default-src 'self'; script-src 'self' 'sha256-")
    for directive in ("object-src 'none'", "base-uri 'self'", "form-action 'self'", "img-src 'self' data:"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    page = '<html><head><meta charset="utf-8"><script>ok()</script><script>evil()</script></head></html>'
    out = csp.add_policy(page, policy)
    assert out.index("Content-Security-Policy") < out.index("<script>")
    assert csp.unknown_scripts(out, allowed) == ["evil()"]


# --- which files are published --------------------------------------------------------------------------


def test_publish_scan_reports_what_may_not_be_published(tmp_path: Path):
    """Check that links (file, folder, loop), special files, other file types and bad names are reported, and
    .md pages, images in an assets folder, the listed files and dot-files are not."""
    docs = tmp_path / "docs"
    for rel in ("index.md", "assets/a.png", "img/assets/b.webp", "stylesheets/s.css", ".hidden/x.html", "x.html",
                "a.markdown", "b.svg", "img/c.png", "snippets/note.md"):  # fmt: skip
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("x")
    (docs / "env.md").symlink_to("/proc/self/environ")
    (docs / "loop").symlink_to(".")
    os.mkfifo(docs / "pipe.md")
    (docs / "bidi\u202etxt.md").write_text("x")
    with open(os.path.join(os.fsencode(docs), b"caf\xe9.md"), "wb") as fh:
        fh.write(b"x")
    found = {(p.path, p.code) for p in publish.scan(docs, ["stylesheets/s.css"])}
    assert found == {
        ("a.markdown", "unpublishable-file"),
        ("b.svg", "unpublishable-file"),
        ("img/c.png", "unpublishable-file"),
        ("x.html", "unpublishable-file"),
        ("pipe.md", "unpublishable-file"),
        ("env.md", "symlink"),
        ("loop", "symlink"),
        ("bidi\u202etxt.md", "bad-file-name"),
        ("caf\\xe9.md", "bad-file-name"),
    }


def test_generated_paths_are_the_hooks_generated_pages():
    """Check that every page the hook generates is at a path publish.is_generated knows (the checks rely on it to
    report a hand-written page there)."""
    spec = importlib.util.spec_from_file_location(
        "briefing_hooks_under_test", ROOT / "hooks" / "briefing_hooks.py"
    )
    hooks = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = hooks  # dataclasses look their module up
    try:
        spec.loader.exec_module(hooks)
    finally:
        del sys.modules[spec.name]
    pages, entities = [], []
    for rel, text in dedent(BASE).items():
        page, entity, _ = parse_page(rel, text.encode())
        pages.append(page)
        entities += [entity] if entity else []
    state = hooks.BuildState(TODAY, {}, True)
    paths = list(hooks.generated_pages(make_site(pages, entities, []), state))
    assert "timeline/2021.md" in paths and "graph.md" in paths
    assert [p for p in paths if not publish.is_generated(p)] == []
    assert not publish.is_generated("timelines.md") and not publish.is_generated("actors/canada.md")
