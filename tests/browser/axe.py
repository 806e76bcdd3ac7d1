"""axe-core, installed from npm by the build (``make test`` runs ``npm ci``), run in a page.

``node_modules/axe-core/axe.min.js`` is read once and evaluated in the page after it
has loaded (``page.evaluate``, not a ``<script>`` tag: the site's Content-Security-Policy
stays as strict as members get it). Without the file the tests that need it skip and say
how to install it.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: the impacts that fail a page; "minor" and "moderate" ones are not asserted
BLOCKING = ("serious", "critical")

RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ['violations']});
    return results.violations.map(v => ({
        rule: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary,
                                  html: n.html.slice(0, 160)})),
    }));
}"""


def axe_source() -> str:
    """The text of axe.min.js; skips the test when npm has not installed it."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed ({AXE} missing): run `make node-tools` "
                    "(needs npm) or `npm ci` at the repository root")
    return AXE.read_text(encoding="utf-8")


def violations(page, source: str) -> list[dict]:
    """The serious and critical violations axe finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]


def describe(where: str, found: list[dict]) -> list[str]:
    """One line per failing node: page, rule, impact, node and what to fix."""
    lines = []
    for violation in found:
        for node in violation["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"{where}: {violation['rule']} ({violation['impact']}) at "
                         f"{node['target']} {node['html']!r}: {summary}")
    return lines
