"""axe-core in the browser, for the accessibility tests: run it on a page, sort what it finds into the
module's and JupyterLab's, and keep every finding for one report at the end of the run.

axe-core (Deque, MPL-2.0) comes bundled in the PyPI package axe-playwright-python (MIT): nothing from npm.
Whose is a finding: an element inside a cell's output (``.jp-OutputArea-output``) was put there by the
module's code (quizzes, progress bars, charts, static fallbacks, messages); everything else on the page
(menus, toolbars, cell editors, prompts, the notebook itself) is JupyterLab's or Notebook 7's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SERIOUS = ("serious", "critical")

_RUN = r"""async ([context, options]) => {
  const results = await axe.run(context || document, options);
  const element = (target) => {
    // a target is a list of selectors (one per iframe); a shadow-DOM target is itself a list: host first
    const first = Array.isArray(target) ? target[0] : target;
    const selector = Array.isArray(first) ? first[0] : first;
    try { return document.querySelector(selector); } catch (e) { return null; }
  };
  const cellSource = (el) => {  // the first line of the code cell whose output holds `el`
    const cell = el && el.closest('.jp-OutputArea-output') && el.closest('.jp-CodeCell');
    const lines = cell ? Array.from(cell.querySelectorAll('.jp-InputArea-editor .cm-line'), l => l.textContent)
                       : [];
    return lines.filter(l => l.trim() && !l.trim().startsWith('#'))[0] || '';
  };
  const slim = (list) => list.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => {
      const el = element(n.target);
      return {target: JSON.stringify(n.target), html: n.html.slice(0, 300), impact: n.impact,
              summary: (n.failureSummary || "").slice(0, 400),
              module: !!(el && el.closest('.jp-OutputArea-output')),
              image_output: !!(el && el.matches('img') && el.closest('.jp-RenderedImage')),
              cell: cellSource(el)};
    }),
  }));
  return {version: results.testEngine.version, violations: slim(results.violations),
          incomplete: slim(results.incomplete),
          passes: results.passes.map(v => ({id: v.id, nodes: v.nodes.length}))};
}"""


@dataclass
class Finding:
    where: str
    rule: str
    impact: str
    owner: str  # "module" or "JupyterLab"
    help: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    kind: str = "violation"  # or "incomplete" (axe could not decide; a person should look)
    known: str = ""  # why a module finding is accepted for now, if it is


# Module findings that the accessibility work could not fix where they arise (code owned elsewhere), each with
# its reason and its fix. They are listed in the report, under the module, with this text: not hidden. Each
# matches only its own case, so any other serious finding in the module's outputs still fails the tests.
KNOWN = [
    ("scrollable-region-focusable", lambda n: n.get("cell", "").startswith("reading."),
     "a wide table from course/tables.py (long addresses) overflows the output, which JupyterLab makes "
     "scrollable but not focusable. Fix in course/tables.py: let long cells wrap (overflow-wrap: anywhere), "
     "or wrap the table in <div role=region tabindex=0 aria-label=...>"),
]


def known(rule: str, node: dict[str, Any]) -> str:
    return next((reason for r, matches, reason in KNOWN if r == rule and matches(node)), "")


AUDIT: list[Finding] = []
ENGINE: list[str] = []


def axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def run(page, where: str, context: Any = None, rules: list[str] | None = None) -> dict[str, Any]:
    """Run axe on `page`, or only on `context` (a CSS selector, or a Playwright locator), and record it."""
    if hasattr(context, "element_handle"):
        context = context.element_handle()
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    options: dict[str, Any] = {"resultTypes": ["violations", "incomplete"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    result = page.evaluate(_RUN, [context, options])
    if result["version"] not in ENGINE:
        ENGINE.append(result["version"])
    for kind in ("violations", "incomplete"):
        for v in result[kind]:
            for owner in ("module", "JupyterLab"):
                nodes = [n for n in v["nodes"] if n["module"] == (owner == "module")]
                if nodes:
                    reasons = {known(v["id"], n) for n in nodes} if owner == "module" else {""}
                    AUDIT.append(Finding(where, v["id"], v["impact"] or "n/a", owner, v["help"], nodes,
                                         kind="violation" if kind == "violations" else "incomplete",
                                         known="; ".join(sorted(r for r in reasons if r))))
    return result


def module_violations(result: dict[str, Any], levels: tuple[str, ...] = SERIOUS) -> list[dict[str, Any]]:
    """The serious or critical violations on the module's own elements (less the known ones above, which the
    report lists), for an assertion message."""
    out = []
    for v in result["violations"]:
        nodes = [n for n in v["nodes"] if n["module"] and (n["impact"] or v["impact"]) in levels
                 and not known(v["id"], n)]
        if nodes:
            out.append({"rule": v["id"], "impact": v["impact"], "help": v["help"],
                        "nodes": [(n["target"], n["html"][:160], n["summary"][:200]) for n in nodes]})
    return out


def report() -> str:
    """The findings as text: module first, then JupyterLab's, each rule once per place with a count."""
    if not AUDIT:
        return ""
    lines = [f"Accessibility audit (axe-core {', '.join(ENGINE)}, all default rules: WCAG 2.x A/AA and best "
             "practices)", ""]
    for owner in ("module", "JupyterLab"):
        mine = [f for f in AUDIT if f.owner == owner]
        title = {"module": "Attributable to the module (inside cell outputs)",
                 "JupyterLab": "Attributable to JupyterLab / Notebook 7 (outside cell outputs)"}[owner]
        lines.append(f"== {title}: {len([f for f in mine if f.kind == 'violation'])} violation(s), "
                     f"{len([f for f in mine if f.kind == 'incomplete'])} for a person to review")
        if not mine:
            lines.append("   none")
        seen: dict[tuple[str, str, str], list[Finding]] = {}
        for f in mine:
            seen.setdefault((f.kind, f.rule, f.impact), []).append(f)
        for (kind, rule, impact), fs in sorted(seen.items(), key=lambda kv: (kv[0][0] != "violation",
                                                                            kv[0][2] not in SERIOUS, kv[0][1])):
            places = sorted({f.where for f in fs})
            count = sum(len(f.nodes) for f in fs)
            known = "; ".join(sorted({f.known for f in fs if f.known}))
            lines.append(f" - [{kind}] {rule} ({impact}): {fs[0].help}. {count} element(s) in: {', '.join(places)}")
            lines.append(f"     e.g. {fs[0].nodes[0]['html'][:160]}")
            cells = sorted({n["cell"] for f in fs for n in f.nodes if n.get("cell")})
            if cells:
                lines.append(f"     in the output of: {'; '.join(c[:80] for c in cells[:6])}")
            if known:
                lines.append(f"     known: {known}")
        lines.append("")
    return "\n".join(lines)


def write_report(directory: Path) -> Path | None:
    text = report()
    if not text:
        return None
    directory.mkdir(exist_ok=True)
    (directory / "accessibility-report.json").write_text(
        json.dumps([f.__dict__ for f in AUDIT], indent=1, ensure_ascii=False), encoding="utf-8")
    path = directory / "accessibility-report.txt"
    path.write_text(text, encoding="utf-8")
    return path
