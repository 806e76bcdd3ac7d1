"""markup.render(): the Markdown members write keeps its shape; nothing in it can run.

Outputs are checked by parsing them (html.parser), not by looking for substrings,
so an attribute is judged by its decoded value, as a browser would read it.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from pen import markup
from pen.markup import render

SAFE_SCHEMES = {"", "http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "poster", "xlink:href",
                  "srcset", "data", "cite", "longdesc", "lowsrc", "dynsrc"}
# What a browser drops from a URL before reading its scheme: controls, whitespace.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


class Elements(HTMLParser):
    """Every start tag of a fragment with its attributes, values decoded."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.elements if name == tag]


def scheme_of(url: str) -> str:
    return urlsplit(_IGNORED_IN_SCHEME.sub("", url)).scheme.lower()


def assert_harmless(html: str) -> None:
    """No tag outside the allowlist, no handler, no URL that runs or embeds."""
    assert "<script" not in html.lower()
    elements = Elements(html)
    for tag, attrs in elements.elements:
        assert tag in markup.ALLOWED_TAGS, f"<{tag}> in {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name}= in {html!r}"
            assert name not in {"style", "id", "name", "srcdoc", "formaction"}, html
            if name in URL_ATTRIBUTES:
                assert scheme_of(value or "") in SAFE_SCHEMES, f"{name}={value!r} in {html!r}"
            if name == "class":
                assert re.fullmatch(r"language-[\w+#.-]+", value or ""), html
    assert not re.search(r"\son\w+\s*=", _tags_only(html)), html


def _tags_only(html: str) -> str:
    """The tags of a fragment without text or quoted values, where 'onclick=' is only words."""
    return re.sub(r'"[^"]*"', '""', " ".join(re.findall(r"<[^>]*>", html)))


# --- what members write keeps its shape ----------------------------------------------------


def test_empty_input_renders_nothing():
    assert render("") == ""
    assert render(None) == ""


def test_headings_emphasis_and_paragraphs():
    html = render("# PEN Awards 2024\n\n## Call for nominations\n\n*Deadline* is **30 June**.")
    assert "<h1>PEN Awards 2024</h1>" in html
    assert "<h2>Call for nominations</h2>" in html
    assert "<p><em>Deadline</em> is <strong>30 June</strong>.</p>" in html


def test_links_keep_their_target_and_get_nofollow_noopener():
    html = render('See [the inventory guide](https://chm.pops.int/guide "Guide") or '
                  "mail <mailto:secretariat@pen.example>.")
    links = Elements(html).find("a")
    assert links[0] == {"href": "https://chm.pops.int/guide", "title": "Guide",
                        "rel": "nofollow noopener"}
    assert links[1]["href"] == "mailto:secretariat@pen.example"
    assert all(link["rel"] == "nofollow noopener" for link in links)


def test_bare_urls_become_links_with_nofollow_noopener():
    html = render("The report is at https://www.unep.org/pcb-report today.")
    [link] = Elements(html).find("a")
    assert link == {"href": "https://www.unep.org/pcb-report", "rel": "nofollow noopener"}


def test_a_member_cannot_set_rel_or_target():
    html = render('<a href="https://example.org" rel="opener" target="_blank">x</a>')
    [link] = Elements(html).find("a")
    assert link == {"href": "https://example.org", "rel": "nofollow noopener"}


def test_lists_and_blockquotes():
    html = render("- transformers\n- capacitors\n\n1. inventory\n2. disposal\n\n> PCBs persist.")
    assert "<ul>\n<li>transformers</li>\n<li>capacitors</li>\n</ul>" in html
    assert "<ol>\n<li>inventory</li>\n<li>disposal</li>\n</ol>" in html
    assert "<blockquote>\n<p>PCBs persist.</p>\n</blockquote>" in html


def test_fenced_code_keeps_its_language_and_escapes_its_content():
    html = render("```python\nif ppm > 50:\n    print('<script>')\n```")
    assert '<pre><code class="language-python">' in html
    assert "&lt;script&gt;" in html
    assert_harmless(html)


def test_code_is_not_linkified():
    html = render("`https://example.org/x`\n\n    https://example.org/y\n")
    assert Elements(html).find("a") == []


def test_tables_keep_cells_and_alignment():
    html = render("| Country | Tonnes |\n|:--------|-------:|\n| Ghana | 120 |\n| Peru | 80 |\n")
    elements = Elements(html)
    assert [tag for tag, _ in elements.elements if tag in {"table", "thead", "tbody"}] == [
        "table", "thead", "tbody"]
    assert [cell.get("align") for cell in elements.find("th")] == ["left", "right"]
    assert [cell.get("align") for cell in elements.find("td")] == ["left", "right"] * 2
    assert ">Ghana</td>" in html and ">120</td>" in html


def test_images_with_safe_sources_stay():
    html = render('![PCB transformer](https://pen.example/img/transformer.jpg "A transformer")')
    [image] = Elements(html).find("img")
    assert image == {"src": "https://pen.example/img/transformer.jpg", "alt": "PCB transformer",
                     "title": "A transformer", "loading": "lazy", "decoding": "async"}


def test_every_image_loads_lazily_whatever_the_member_wrote():
    html = render('<img src="https://pen.example/a.jpg" loading="eager" decoding="sync" '
                  'onerror="alert(1)" width="9999" style="position:fixed">\n\n'
                  '![b](https://pen.example/b.jpg)')
    images = Elements(html).find("img")
    assert images == [{"src": "https://pen.example/a.jpg", "loading": "lazy",
                       "decoding": "async"},
                      {"src": "https://pen.example/b.jpg", "alt": "b", "loading": "lazy",
                       "decoding": "async"}]
    assert_harmless(html)


def test_definition_lists_and_abbreviations():
    html = render("*[OCP]: Official contact point\n\nAsk your OCP.\n\nPEN\n: A network.")
    assert '<abbr title="Official contact point">OCP</abbr>' in html
    assert "<dl>\n<dt>PEN</dt>\n<dd>A network.</dd>\n</dl>" in html


def test_text_that_looks_like_html_is_shown_not_run():
    html = render("Use 5 < 10 & keep <b>bold</b> but not <marquee>this</marquee>.")
    assert "5 &lt; 10 &amp; keep <b>bold</b> but not this." in html


# --- what must never come through ----------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<style>body { display: none }</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="https://evil.example/x.swf"></object><embed src="x.swf">',
    '<img src="x" onerror="alert(1)">',
    '<img src=x onerror=alert(1)//',
    '<a href="https://example.org" onclick="alert(1)" onmouseover=alert(1)>x</a>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<body onload="alert(1)">',
    '<details open ontoggle="alert(1)">x</details>',
    '<input autofocus onfocus="alert(1)">',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
    '&#0000112&#0000116&#0000058alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="java&Tab;script&colon;alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href=" \x01javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<img src="javascript:alert(1)">',
    "![x](javascript:alert(1))",
    '<img src="x" srcset="javascript:alert(1) 1x">',
    '<a href="https://ok.example" style="position:fixed;inset:0">x</a>',
    '<span class="position-fixed top-0 start-0 w-100 h-100 bg-white">Sign in again</span>',
    '<code class="modal-backdrop show">x</code>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<!--<script>alert(1)</script>-->',
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<textarea><script>alert(1)</script></textarea>',
    '<a href="https://ok.example" title="&quot; onmouseover=&quot;alert(1)">x</a>',
    '[x](https://ok.example "\\" onmouseover=\\"alert(1)")',
    '<p id="csrf_token" name="login">clobber</p>',
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_comes_out_harmless(source):
    assert_harmless(render(source))


@pytest.mark.parametrize("source", HOSTILE)
def test_rendering_rendered_html_again_stays_harmless(source):
    once = render(source)
    assert_harmless(render(once))
    assert_harmless(render(render(once)))


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_inside_markdown_structures_comes_out_harmless(source):
    wrapped = f"> {source}\n\n- {source}\n\n| a |\n|---|\n| {source} |\n\n**{source}**"
    assert_harmless(render(wrapped))


def test_unsafe_links_lose_their_target_but_keep_their_text():
    html = render("[the agenda](javascript:alert(1)) and ![chart](data:image/png;base64,AAAA)")
    elements = Elements(html)
    assert elements.find("a") == [{}]
    assert "the agenda" in html
    assert all("src" not in image for image in elements.find("img"))


def test_stored_marks_only_what_it_is_given():
    assert str(markup.stored(None)) == ""
    assert str(markup.stored("<p>x</p>")) == "<p>x</p>"
