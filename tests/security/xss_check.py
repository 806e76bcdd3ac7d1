"""Does a rendered page contain anything a browser would run? Parsed the way a browser parses.

html5lib builds the same tree Chromium would (entities decoded, broken tags repaired,
SVG and MathML in their namespaces); each element is then checked for what executes
or navigates: scripts not served by this site, event-handler attributes, script URLs,
frames, embeds, ``<base>``, meta refresh and scripting in CSS.
"""

import re
from xml.etree import ElementTree as ET

import html5lib

# The site's own assets: only files it serves itself may be scripts or stylesheets.
OWN_ASSET_PREFIXES = ("/static/", "/bootstrap/static/")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "dynsrc",
                  "lowsrc", "poster", "xlink:href", "code", "codebase", "cite", "longdesc",
                  "to", "values", "from", "by", "ping", "manifest", "icon"}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base",
                      "portal", "bgsound", "xss", "isindex", "style",
                      # SVG that runs or rewrites links (the site's own charts use none)
                      "set", "animate", "animatemotion", "animatetransform", "foreignobject",
                      "use", "handler", "listener"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:text/html", "data:text/xml",
                  "data:application/", "data:image/svg", "data:text/javascript")
CSS_SCRIPT = re.compile(r"expression|javascript:|vbscript:|behavior|-moz-binding|@import",
                        re.IGNORECASE)
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")
_NAMESPACE = re.compile(r"^\{[^}]*\}")


def local(name: str) -> str:
    """``{http://www.w3.org/2000/svg}svg`` -> ``svg``; attribute names keep xlink: readable."""
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + _NAMESPACE.sub("", name)
    return _NAMESPACE.sub("", name).lower()


def normalised_url(value: str) -> str:
    """What a browser's URL parser sees: tabs, newlines and controls gone, lower case."""
    return _IGNORED_IN_URLS.sub("", value).lower()


def problems_in(html: str) -> list[str]:
    """Everything in ``html`` that would run script or load active content; [] if none."""
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        found.extend(_element_problems(element))
    return found


def _element_problems(element: ET.Element) -> list[str]:
    """What is wrong with one element and its attributes."""
    tag = local(element.tag)
    shown = f"<{tag} {' '.join(f'{local(k)}={v!r}' for k, v in element.attrib.items())}>"
    found = []
    if tag == "script" and not _own_script(element):
        found.append(f"script element {shown} {element.text or ''!r}")
    if tag in FORBIDDEN_ELEMENTS:
        found.append(f"forbidden element {shown}")
    if tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
        found.append(f"meta refresh {shown}")
    if tag == "link" and not _own_link(element):
        found.append(f"foreign link {shown}")
    for name, value in element.attrib.items():
        found.extend(f"{problem} in {shown}" for problem in _attribute_problems(tag, name, value))
    return found


def _attribute_problems(tag: str, name: str, value: str) -> list[str]:
    name = local(name)
    if name.startswith("on"):
        return [f"event handler {name}"]
    if name == "srcdoc":
        return ["srcdoc"]
    if name == "style" and CSS_SCRIPT.search(value):
        return [f"scripting CSS {value!r}"]
    if name in URL_ATTRIBUTES and normalised_url(value).startswith(SCRIPT_SCHEMES):
        return [f"script URL {name}={value!r}"]
    return []


def _own_script(element: ET.Element) -> bool:
    return (element.get("src", "").startswith(OWN_ASSET_PREFIXES)
            and not (element.text or "").strip())


def _own_link(element: ET.Element) -> bool:
    rel = element.get("rel", "").lower()
    return rel in ("stylesheet", "icon", "alternate", "next", "prev") and (
        element.get("href", "").startswith(OWN_ASSET_PREFIXES) or rel in ("alternate", "next",
                                                                            "prev"))


def assert_no_script(html: str, where: str) -> None:
    """Fail naming the page and every executable thing found in it."""
    found = problems_in(html)
    assert not found, f"{where}: executable content from user text:\n  " + "\n  ".join(found)
