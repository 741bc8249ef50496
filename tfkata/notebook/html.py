"""A check's verdict as HTML for Jupyter and Colab: the headline, then the failed property, the
input and what came back, the next step, and the other failures collapsed."""

from __future__ import annotations

import html
import re

from tfkata.runner import TestResult

ANSI = re.compile(r"\x1b\[[0-9;]*m")
COLOURS = {
    "pass": "#1a7f37",
    "fail": "#cf222e",
    "not started": "#9a6700",
    "timeout": "#cf222e",
    "error": "#cf222e",
}


def plain(text: str) -> str:
    return ANSI.sub("", text)


def _pre(text: str) -> str:
    return (
        '<pre style="margin:0.3em 0 0.3em 1.2em;white-space:pre-wrap">'
        f"{html.escape(plain(text))}</pre>"
    )


def _failure(result: TestResult) -> str:
    parts = [f"<div><b>✗ {html.escape(result.test)}</b></div>"]
    if result.doc:
        parts.append(f"<div style='margin-left:1.2em'>property: {html.escape(result.doc)}</div>")
    if result.message:
        parts.append(_pre(result.message))
    return "".join(parts)


def verdict_html(
    status: str, headline: str, failures: list[TestResult], next_step: str, text: str
) -> str:
    colour = COLOURS.get(status, "#57606a")
    out = [
        f'<div class="tfkata-verdict" data-status="{html.escape(status)}" '
        'style="font-family:var(--jp-code-font-family,monospace);font-size:90%">',
        f'<div style="color:{colour};font-weight:bold">{html.escape(plain(headline))}</div>',
    ]
    if failures:
        out.append(_failure(failures[0]))
        if len(failures) > 1:
            out.append(f"<details><summary>and {len(failures) - 1} more failing tests</summary>")
            out.extend(_failure(r) for r in failures[1:])
            out.append("</details>")
    if next_step:
        out.append(f"<div style='margin-top:0.4em'>{html.escape(plain(next_step))}</div>")
    out.append(f"<details><summary>as text</summary>{_pre(text)}</details>")
    out.append("</div>")
    return "".join(out)
