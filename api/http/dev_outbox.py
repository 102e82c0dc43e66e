"""/dev/outbox: in development only, the mail and text messages the portal would have sent,
readable in a browser, so a new user of `make run` can follow their verification link. Never
mounted in production (the mails hold live links)."""

from __future__ import annotations

import html
import re

from starlette.requests import Request
from starlette.responses import HTMLResponse

from api.delivery import sms
from api.services import outbox

_LINK = re.compile(r"(https?://[^\s<]+)")
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Relief: development outbox</title></head><body><main>
<h1>Development outbox</h1>
<p>In development, Relief keeps mail here instead of sending it (PORTAL_SMTP_URL is unset).
Newest first.</p>
{items}
<h1>Text messages</h1>
<p>Without PORTAL_SMS_GATEWAY_URL, text messages are kept here. Newest first.</p>
{texts}
</main></body></html>"""


def _body(text: str) -> str:
    escaped = html.escape(text)
    return _LINK.sub(r'<a href="\1">\1</a>', escaped)


async def development_outbox(_: Request) -> HTMLResponse:
    rows = await outbox.newest(20)
    items = "".join(
        f"<article><h2>{html.escape(row.subject)}</h2>"
        f"<p>To {html.escape(row.to_address)}, {row.created_at:%Y-%m-%d %H:%M} UTC</p>"
        f"<pre>{_body(row.text_body)}</pre></article>"
        for row in rows
    )
    texts = "".join(
        f"<article><p>To {html.escape(row.to_number)}, {row.created_at:%Y-%m-%d %H:%M} UTC</p>"
        f"<pre>{_body(row.body)}</pre></article>"
        for row in await sms.newest(20)
    )
    page = PAGE.format(
        items=items or "<p>No mail yet.</p>", texts=texts or "<p>No text messages yet.</p>"
    )
    return HTMLResponse(page, headers={"cache-control": "no-store"})
