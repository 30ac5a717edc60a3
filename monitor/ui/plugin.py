"""monitor's Datasette plugin: Arabic-aware search in SQL, right-to-left text, a chart.

Registered by `monitor ui` (not by entry point), so installing the `ui` extra changes
nothing for a Datasette a user runs on other databases.
"""

from __future__ import annotations

import html
import json
import sqlite3
from collections import defaultdict
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response

from monitor.store.query import fts_query, snippet
from monitor.ui import reading

# Every cell and input takes its direction from its first strong letter: Arabic reads
# right to left, English left to right, in the same table.
_BIDI_SCRIPT = """
(function () {
  var style = document.createElement('style');
  style.textContent = 'td, th, pre, input[type=search], input[type=text], textarea, .rows-and-columns td'
    + ' { unicode-bidi: plaintext; text-align: start; }';
  document.head.appendChild(style);
  document.querySelectorAll('td, th, pre, input[type=search], input[type=text], textarea')
    .forEach(function (el) { el.setAttribute('dir', 'auto'); });
})();
"""

_COLORS = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
]


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    # monitor_fts('عقوبات') turns a user's words into the FTS5 query `monitor search` uses,
    # for `articles_search MATCH monitor_fts(:q)`; monitor_snippet marks the hits.
    conn.create_function("monitor_fts", 1, lambda q: fts_query(q or "") or '""', deterministic=True)
    conn.create_function(
        "monitor_snippet", 2, lambda text, q: snippet(text or "", q or "", mark=("«", "»"))
    )


@hookimpl
def extra_body_script() -> str:
    return _BIDI_SCRIPT


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    # The reading room's pages (reading.py) come first: "/" is its home page, not
    # Datasette's list of databases; the database's page (/monitor) keeps tables and SQL.
    return [*reading.routes(), (r"^/-/monitor/chart$", chart)]


async def chart(datasette: Any, request: Any) -> Response:
    """Articles per topic per day, as a stacked bar chart in plain SVG (no JavaScript)."""
    if refused := reading.refused_unless_get(request):
        return refused
    days = min(int(request.args.get("days", "30")), 365)
    db = datasette.get_database()
    rows = (
        await db.execute(
            "SELECT coalesce(published, substr(ingested_at, 1, 10)) AS day, value AS topic, "
            "count(*) AS n FROM articles, json_each(articles.topics) "
            "WHERE duplicate_of IS NULL GROUP BY day, topic ORDER BY day DESC LIMIT 5000"
        )
    ).rows
    per_day: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        per_day[row["day"]][row["topic"]] = row["n"]
    days_shown = sorted(per_day)[-days:]
    topics = sorted({t for d in days_shown for t in per_day[d]})
    body = _svg(days_shown, topics, per_day) if days_shown else "<p>No tagged articles yet.</p>"
    legend = "".join(
        f'<li><span style="background:{_COLORS[i % len(_COLORS)]}"></span>{html.escape(t)}</li>'
        for i, t in enumerate(topics)
    )
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Articles per topic</title>
<style>body{{font-family:sans-serif;margin:2em}} ul{{list-style:none;padding:0}}
li{{display:inline-block;margin-right:1.2em}} li span{{display:inline-block;width:1em;height:1em;
margin-right:.3em;vertical-align:middle}}</style></head><body>
<p><a href="/">monitor</a></p><h1>Articles per topic per day</h1>{body}<ul>{legend}</ul>
<script type="application/json" id="data">{html.escape(json.dumps(per_day))}</script>
</body></html>"""
    return Response.html(page)


def _svg(days: list[str], topics: list[str], per_day: dict[str, dict[str, int]]) -> str:
    width, height, pad = max(400, 28 * len(days)), 260, 30
    top = max(sum(per_day[d].values()) for d in days) or 1
    bar = min(40.0, (width - pad) / len(days))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 60}" role="img">'
    ]
    for i, day in enumerate(days):
        y = height
        for j, topic in enumerate(topics):
            n = per_day[day].get(topic, 0)
            if not n:
                continue
            h = (height - pad) * n / top
            y -= h
            parts.append(
                f'<rect x="{pad + i * bar:.1f}" y="{y:.1f}" width="{bar * 0.8:.1f}" height="{h:.1f}" '
                f'fill="{_COLORS[j % len(_COLORS)]}"><title>{html.escape(topic)}: {n}</title></rect>'
            )
        parts.append(
            f'<text x="{pad + i * bar:.1f}" y="{height + 14}" font-size="10" '
            f'transform="rotate(45 {pad + i * bar:.1f} {height + 14})">{day}</text>'
        )
    parts.append(f'<text x="0" y="{pad - 10}" font-size="11">{top}</text></svg>')
    return "".join(parts)
