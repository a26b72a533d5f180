"""``GET /``: the web chat, a page that looks and behaves like a Telegram chat with the bot.

The page is plain HTML, CSS and JavaScript from ``sandbox/web/`` (no build step, nothing
fetched from elsewhere). It acts through the control API and hears about changes through
``/sandbox/events`` (see :mod:`sandbox.event_stream`).
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

WEB_DIR = Path(__file__).with_name("web")

#: The files the page is made of, with their content types; nothing else is served.
ASSETS = {
    "chat.css": "text/css",
    "chat.js": "text/javascript",
    "format.js": "text/javascript",
}

#: The page runs only its own script and talks only to this server: even a bug in escaping
#: could not run an injected script or send anything elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)

_HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}


async def page(request: web.Request) -> web.Response:
    return web.Response(
        body=(WEB_DIR / "index.html").read_bytes(),
        content_type="text/html",
        charset="utf-8",
        headers={**_HEADERS, "Content-Security-Policy": CONTENT_SECURITY_POLICY},
    )


async def asset(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    content_type = ASSETS.get(name)
    if content_type is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=(WEB_DIR / name).read_bytes(),
        content_type=content_type,
        charset="utf-8",
        headers=_HEADERS,
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", page)
    app.router.add_get("/web/{name}", asset)


__all__ = ["ASSETS", "WEB_DIR", "add_routes"]
