"""The reading room: stories, articles with their evidence, entities and alerts, as HTML.

Routes of monitor's Datasette plugin (plugin.py registers them), served by `monitor ui`
beside Datasette's own tables and SQL, so one server, one read-only connection pool and
one port serve both (docs/reading.md). Every view answers GET only and reads through
Datasette's read connections, which server.py opens with `mode=ro`: nothing here can
write. The "new"/"updated" marks come from a cookie the browser keeps, not from the store.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from datasette.utils.asgi import Response
from jinja2 import Environment, PackageLoader, select_autoescape

from monitor.store.query import snippet
from monitor.ui import highlight, queries

VISIT_COOKIE = "monitor_visit"
# A visit ends after this long without a page: the next one marks what came since its start.
VISIT_GAP = timedelta(minutes=30)
RTL = {"ar", "fa", "ur", "he", "ps"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def routes() -> list[tuple[str, Any]]:
    return [
        (r"^/$", home),
        (r"^/story/(?P<story>[\w.-]+)$", story_page),
        (r"^/article/(?P<article>\d+)$", article_page),
        (r"^/entity$", entity_page),
        (r"^/alerts$", alerts_page),
        (r"^/alerts\.json$", alerts_json),
        (r"^/-/reading/(?P<name>reading\.(?:css|js))$", static),
    ]


@cache
def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("monitor.ui", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["epoch"] = lambda t: _when(datetime.fromtimestamp(t, UTC).isoformat()) if t else ""
    env.globals["direction"] = lambda lang: "rtl" if lang in RTL else "auto"
    return env


def _when(value: str | None) -> str:
    """An ISO timestamp as 'YYYY-MM-DD HH:MM' (UTC); a date stays a date."""
    if not value:
        return ""
    return value[:16].replace("T", " ")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def refused_unless_get(request: Any) -> Response | None:
    if request.method not in ("GET", "HEAD"):
        return Response.text("the reading room is read-only: GET only\n", status=405)
    return None


async def _render(
    datasette: Any, name: str, context: dict[str, Any], status: int = 200
) -> Response:
    db = datasette.get_database()
    latest = await db.execute_fn(queries.latest_alert)
    page = _templates().get_template(name).render(db_name=db.name, latest_alert=latest, **context)
    return Response.html(page, status=status)


def _visit(request: Any) -> tuple[str | None, str]:
    """(the start of the previous visit, the start of this one) from the visit cookie.

    The marks compare a story's times with the previous visit's start, and keep doing so
    through this visit (a reload does not clear them); a visit ends after VISIT_GAP."""
    now = _now()
    prev, _, start = (request.cookies.get(VISIT_COOKIE) or "").partition("|")
    if not start:
        return None, now
    if start < (datetime.now(UTC) - VISIT_GAP).isoformat(timespec="milliseconds"):
        return start, now  # a new visit: the last one's start is what "new" is since
    return (prev or None), start


def _mark(story: dict[str, Any], since: str | None) -> str:
    if not since:
        return ""
    if (story.get("first_seen") or "") > since:
        return "new"
    return "updated" if (story.get("last_seen") or "") > since else ""


def _filters(request: Any) -> queries.StoryFilters:
    args = request.args
    day = lambda key: args.get(key, "") if _DATE.match(args.get(key, "")) else ""  # noqa: E731
    return queries.StoryFilters(
        topic=args.get("topic", "").strip(),
        entity=args.get("entity", "").strip(),
        language=args.get("lang", "").strip(),
        source=args.get("source", "").strip(),
        since=day("since"),
        until=day("until"),
    )


async def home(datasette: Any, request: Any) -> Response:
    """Stories newest first, or search results when there is a query."""
    if refused := refused_unless_get(request):
        return refused
    db = datasette.get_database()
    filters = _filters(request)
    query = request.args.get("q", "").strip()
    prev, start = _visit(request)
    context: dict[str, Any] = {"filters": filters, "q": query, "since": prev}
    if query:
        results = await db.execute_fn(
            lambda conn: queries.search(conn, query, filters.articles(), limit=queries.PAGE)
        )
        for r in results:
            r["snippet_html"] = _snippet_html(r["text"] or "", query)
        context["results"] = results
    else:
        before = request.args.get("before", "")
        stories = await db.execute_fn(lambda conn: queries.stories(conn, filters, before))
        for s in stories:
            s["mark"] = _mark(s, prev)
        context["stories"] = stories
        context["more"] = stories[-1]["last_seen"] if len(stories) == queries.PAGE else None
    response = await _render(datasette, "home.html", context)
    response.set_cookie(
        VISIT_COOKIE, f"{prev or ''}|{start}", max_age=400 * 86400, samesite="lax", httponly=True
    )
    return response


def _snippet_html(text: str, query: str) -> str:
    """The snippet `monitor search` shows (store/query.py), its hits in <mark>. Marked
    with control characters, not the CLI's [brackets], which the text itself may hold."""
    marked = snippet(text, query, mark=("\x02", "\x03"))
    return escape(marked).replace("\x02", "<mark>").replace("\x03", "</mark>")


async def story_page(datasette: Any, request: Any) -> Response:
    if refused := refused_unless_get(request):
        return refused
    story_id = request.url_vars["story"]
    record = await datasette.get_database().execute_fn(lambda conn: queries.story(conn, story_id))
    if record is None:
        return await _render(datasette, "missing.html", {"what": f"story {story_id}"}, 404)
    return await _render(datasette, "story.html", {"story": record})


async def article_page(datasette: Any, request: Any) -> Response:
    if refused := refused_unless_get(request):
        return refused
    article_id = int(request.url_vars["article"])
    record = await datasette.get_database().execute_fn(
        lambda conn: queries.article(conn, article_id)
    )
    if record is None:
        return await _render(datasette, "missing.html", {"what": f"article {article_id}"}, 404)
    items = highlight.evidence_items(record["evidence"])
    heading, body = highlight.paragraphs(
        record["title"], record["text"] or "", highlight.hits_by_position(items)
    )
    return await _render(
        datasette,
        "article.html",
        {"a": record, "evidence": items, "heading": heading, "paragraphs": body},
    )


async def entity_page(datasette: Any, request: Any) -> Response:
    if refused := refused_unless_get(request):
        return refused
    name = request.args.get("name", "").strip()
    found = await datasette.get_database().execute_fn(
        lambda conn: queries.entity_articles(conn, name) if name else []
    )
    return await _render(datasette, "entity.html", {"name": name, "articles": found})


async def alerts_page(datasette: Any, request: Any) -> Response:
    if refused := refused_unless_get(request):
        return refused
    db = datasette.get_database()
    fired = await db.execute_fn(queries.alerts)
    waiting = await db.execute_fn(queries.waiting)
    return await _render(datasette, "alerts.html", {"alerts": fired, "waiting": waiting})


async def alerts_json(datasette: Any, request: Any) -> Response:
    """Alerts after ?after=ID, newest first: what the pages' small script polls for."""
    if refused := refused_unless_get(request):
        return refused
    try:
        after = max(0, int(request.args.get("after", "0")))
    except ValueError:
        return Response.json({"error": "after must be an alert id (a number)"}, status=400)
    fired = await datasette.get_database().execute_fn(
        lambda conn: queries.alerts(conn, after, limit=20)
    )
    keys = ("id", "rule", "kind", "at", "article_id", "story", "title", "topics")
    return Response.json(
        [
            {k: a[k] for k in keys}
            | {"deliveries": {d["channel"]: d["status"] for d in a["deliveries"]}}
            for a in fired
        ]
    )


async def static(datasette: Any, request: Any) -> Response:
    if refused := refused_unless_get(request):
        return refused
    name = request.url_vars["name"]
    body = resources.files("monitor.ui").joinpath("static", name).read_text(encoding="utf-8")
    kind = "text/css" if name.endswith(".css") else "text/javascript"
    return Response(
        body,
        content_type=f"{kind}; charset=utf-8",
        headers={"Cache-Control": "max-age=3600"},
    )
