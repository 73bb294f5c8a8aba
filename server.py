"""casedesk behind Streamlit's ASGI server: app.py plus the one HTTP route Streamlit's
script cannot offer — setting the HttpOnly cookie that keeps a user signed in across a
reload or a second tab (see case_core/accounts/sessions.py).

`make run` starts this file (`streamlit run server.py`); `streamlit run app.py` still
works, without that cookie (a reload then signs the user out)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from case_core.accounts import sessions

SESSION_ROUTE = "/_casedesk/session"

# Read by app.py: the route below exists, so its sign-in may hand the browser over to it.
os.environ["CASEDESK_KEPT_SESSIONS"] = "1"


def _same_site_path(target: str | None) -> str:
    """Where to go after the cookie is set: a path of this site only (never « //host »
    nor a full address), so that the route cannot be used to send users elsewhere."""
    target = target or "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or "\\" in target:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


async def start_session(request: Request) -> Response:
    token = await run_in_threadpool(sessions.redeem_handoff, request.query_params.get("code", ""))
    response = RedirectResponse(_same_site_path(request.query_params.get("next")), 303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    if token is not None:
        response.set_cookie(
            sessions.COOKIE_NAME,
            token,
            max_age=int(sessions.session_lifetime().total_seconds()),
            path="/",
            httponly=True,
            samesite="strict",
            secure=_https(request),
        )
    return response


async def end_session(request: Request) -> Response:
    """After sign-out (the session is already revoked): the browser drops the cookie."""
    response = RedirectResponse("/", 303)
    response.headers["Cache-Control"] = "no-store"
    response.delete_cookie(sessions.COOKIE_NAME, path="/", httponly=True, samesite="strict")
    return response


app = st.App(
    str(Path(__file__).resolve().parent / "app.py"),
    routes=[
        Route(SESSION_ROUTE, start_session, methods=["GET"]),
        Route(f"{SESSION_ROUTE}/end", end_session, methods=["GET"]),
    ],
)
