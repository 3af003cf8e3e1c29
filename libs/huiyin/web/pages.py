"""Server-rendered pages: Jinja templates, the language (zh-CN by default, English on
request, remembered in a cookie), a Content-Security-Policy that lets a page call exactly
its sibling services' APIs, and the page's configuration handed to its script as JSON.

Pages are public HTML shells: the data comes from the JSON APIs, which enforce roles.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from huiyin import jsonutil
from huiyin.web.messages import COMMON, Messages

LANGS = ("zh-CN", "en")
DEFAULT_LANG = "zh-CN"
LANG_COOKIE = "huiyin_lang"
SERVICES = ("intake", "routing", "feedback")


def choose_lang(request: Request) -> tuple[str, bool]:
    """The page's language, and whether it was asked for now (then it is remembered)."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked, True
    remembered = request.cookies.get(LANG_COOKIE)
    return (remembered if remembered in LANGS else DEFAULT_LANG), False


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def sibling_urls(request: Request) -> dict[str, str | None]:
    """Each service's base URL for the browser: "" for this one (same origin), None if unknown."""
    settings = request.app.state.runtime.settings
    own = settings.service_name
    return {
        s: "" if s == own else (getattr(settings, f"{s}_url", "") or "").rstrip("/") or None for s in SERVICES
    }


def _with_lang(request: Request, lang: str) -> str:
    """This page's path and query with `lang` set: the language switch's link."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", lang)]
    return f"{request.url.path}?{urlencode(query)}"


def content_security_policy(urls: Mapping[str, str | None]) -> str:
    siblings = sorted({o for u in urls.values() if u and (o := _origin(u))})
    connect = " ".join(["'self'", *siblings])
    return (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        f"script-src 'self'; connect-src {connect}; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    )


class PageKit:
    """Renders one service's templates (falling back to the shared ones) in either language."""

    def __init__(self, *, package: str, messages: Messages) -> None:
        self.env = Environment(
            loader=ChoiceLoader(
                [PackageLoader(package, "templates"), PackageLoader("huiyin.web", "templates")]
            ),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.messages: dict[str, tuple[str, str]] = {**COMMON, **messages}

    def texts(self, lang: str) -> dict[str, str]:
        index = LANGS.index(lang)
        return {key: pair[index] for key, pair in self.messages.items()}

    def render(
        self,
        request: Request,
        template: str,
        *,
        title: str,
        script: str | None = None,
        data: Mapping[str, Any] | None = None,
        status_code: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        lang, asked = choose_lang(request)
        texts = self.texts(lang)
        urls = sibling_urls(request)
        other = LANGS[1 - LANGS.index(lang)]
        config = {"lang": lang, "texts": texts, "urls": urls, **(data or {})}
        html = self.env.get_template(template).render(
            lang=lang,
            t=texts,
            title=texts.get(title, title),
            script=script,
            urls=urls,
            other_lang=other,
            lang_switch=_with_lang(request, other),
            config_json=jsonutil.dumps_str(config).replace("</", "<\\/"),
            **context,
        )
        response = HTMLResponse(html, status_code=status_code)
        response.headers["content-security-policy"] = content_security_policy(urls)
        if asked:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
        return response
