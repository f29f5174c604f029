"""Endpoints and the credentials sent to them: the endpoint's identity (what the cache
key, provenance and messages name: scheme, host, port and path, never userinfo, query or
key), whether credentials would cross the network in clear, and their redaction from
anything a server says back."""

from __future__ import annotations

import base64
import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote, urlsplit

from llm_extract.core.errors import ConfigError

_DEFAULT_PORTS = {"http": 80, "https": 443}
_PIECE = 8
"""A run this long of a credential's form is redacted wherever it shows: an excerpt
cut mid-key keeps only a piece of it."""
_MIN_SECRET = 4  # shorter ones would redact ordinary words


def endpoint_identity(url: str) -> str:
    """scheme://host[:port]/path of `url`: lower case, no default port, no trailing
    slash, no userinfo, query or fragment. ConfigError if it is no http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ConfigError(_not_an_endpoint(url)) from None
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if scheme not in _DEFAULT_PORTS or not host:
        raise ConfigError(_not_an_endpoint(url))
    host = f"[{host}]" if ":" in host else host
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


def _not_an_endpoint(url: str) -> str:
    shown = re.sub(r"//[^/]*@", "//", re.split(r"[?#]", url, maxsplit=1)[0])  # no credentials
    return (
        f"the endpoint URL {shown!r} is not an http(s) URL with a host and a valid port; "
        "an endpoint URL looks like http://127.0.0.1:11434/v1"
    )


def userinfo(url: str) -> tuple[str, str] | None:
    """The (user, password) a URL carries, decoded as HTTP clients send them."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return None
    return unquote(parts.username or ""), unquote(parts.password or "")


def without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def basic_auth(user: str, password: str) -> str:
    """The Authorization header httpx sends for credentials in a URL."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return f"Basic {token}"


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def clear_text_warning(url: str, key: str | None) -> str | None:
    """One line when credentials would go over plain http to another machine."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "http" or is_loopback(parts.hostname or ""):
        return None
    where = endpoint_identity(url).split("://", 1)[1].split("/", 1)[0]
    if userinfo(url):  # sent as Basic auth, in place of the key
        what = "the credentials in the URL go"
        fix = "use https"
    elif key:
        what = "the API key goes"
        fix = "use https, or unset OPENAI_API_KEY if the server needs no key"
    else:
        return None
    return f"llm-extract: warning: {what} over plain http to {where}, readable on the way; {fix}"


class Redactor:
    """Removes every form a credential can take in what a server echoes: as is,
    URL-encoded, base64-encoded at any offset, broken by whitespace, and any run of
    _PIECE characters of those forms (an excerpt cut mid-key keeps only a piece)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if len(secret) >= _MIN_SECRET:
                forms |= {secret, quote(secret, safe=""), quote_plus(secret)}
                forms |= _base64_forms(secret)
        self._forms = sorted((f for f in forms if len(f) >= _MIN_SECRET), key=len, reverse=True)
        spaced = [r"\s*".join(map(re.escape, form)) for form in self._forms]
        self._whole = re.compile("|".join(spaced)) if spaced else None
        self._pieces = {f[i : i + _PIECE] for f in self._forms for i in range(len(f) - _PIECE + 1)}

    def __call__(self, text: str) -> str:
        if self._whole is None:
            return text
        return self._without_pieces(self._whole.sub("***", text))

    def _without_pieces(self, text: str) -> str:
        kept, start, i = [], 0, 0
        while i <= len(text) - _PIECE:
            if text[i : i + _PIECE] not in self._pieces:
                i += 1
                continue
            end = i + _PIECE
            while end < len(text) and any(text[i : end + 1] in f for f in self._forms):
                end += 1
            kept += [text[start:i], "***"]
            start = i = end
        return "".join([*kept, text[start:]])


def _base64_forms(secret: str) -> set[str]:
    """The characters of base64 (standard and URL-safe) that encode `secret` alone,
    whatever bytes come before and after it in the encoded text."""
    data = secret.encode()
    forms = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + data).decode()
        first = -(-8 * offset // 6)  # the first character made of the secret's bits only
        last = 8 * (offset + len(data)) // 6
        form = encoded[first:last]
        if len(form) >= _PIECE:
            forms |= {form, form.replace("+", "-").replace("/", "_")}
    return forms


def secrets_of(key: str | None, url: str) -> list[str]:
    """Everything about a request that must never be repeated: the key, the URL's
    userinfo (whole, each part, and the Basic token made of it)."""
    secrets = [key] if key else []
    if credentials := userinfo(url):
        user, password = credentials
        raw = urlsplit(url).netloc.rpartition("@")[0]
        token = basic_auth(user, password).split(" ", 1)[1]
        secrets += [raw, f"{user}:{password}", user, password, token]
    return secrets
