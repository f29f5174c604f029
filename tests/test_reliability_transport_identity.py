"""Which endpoint answered, and what it is told: the endpoint is part of the cache key
and provenance (never its credentials); a key bound for plain http to another machine
is warned about; and no error message repeats a credential, however it is echoed."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from urllib.parse import quote

import pytest

from llm_extract import Settings
from llm_extract.backends import openai_compat
from llm_extract.backends.openai_compat import OpenAIBackend
from llm_extract.core.errors import ConfigError
from llm_extract.core.results import Provenance
from llm_extract.extraction.cache import key_material
from llm_extract.extraction.extractor import Extractor
from tests.fault_server import FaultServer, Received, Reply, api_error
from tests.test_faults import ENDPOINT, VALID
from tests.test_reliability_transport_support import PATHS, record_waits, through

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

SECRET = "sk-test-SECRET123456789abcdef"
USER, PASSWORD = "alice", "wonder-land-42"


def cached_options() -> dict[str, object]:
    return {"use_cache": True, "max_transport_retries": 0}


@pytest.mark.timeout(20)
@pytest.mark.parametrize("path", PATHS)
def test_a_second_server_with_the_same_model_is_asked_not_answered_from_cache(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_waits(monkeypatch)
    with FaultServer([Reply(200, VALID)]) as first, FaultServer([Reply(200, VALID)]) as second:
        one = through(path, first, **cached_options())
        again = through(path, first, **cached_options())
        other = through(path, second, **cached_options())
    assert one.result is not None and not one.result.cached
    assert again.result is not None and again.result.cached, "same endpoint: a cache hit"
    assert other.result is not None and not other.result.cached
    assert (len(first.requests), len(second.requests)) == (1, 1)
    assert one.result.provenance.cache_key != other.result.provenance.cache_key
    if "endpoint" in Provenance.model_fields:  # once core/results.py records it
        assert one.result.provenance.model_dump()["endpoint"] == f"{first.url}/v1"


@pytest.mark.timeout(20)
def test_endpoint_identity_ignores_credentials_and_spelling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Userinfo, the key, a trailing slash, a default port or upper case do not make
    another endpoint; and none of the credentials reaches the key or provenance."""
    record_waits(monkeypatch)
    with FaultServer(default=Reply(200, VALID)) as server:
        port = server.url.rsplit(":", 1)[1]
        plain = through("sdk", f"http://127.0.0.1:{port}/v1", **cached_options())
        spelled = f"HTTP://{USER}:{PASSWORD}@127.0.0.1:{port}/v1/"
        monkeypatch.setenv("OPENAI_API_KEY", SECRET)
        with_credentials = through("sdk", spelled, **cached_options())
    assert plain.result is not None and with_credentials.result is not None
    assert with_credentials.result.cached, "the same endpoint, so the same key"
    backend = OpenAIBackend(Settings(base_url=spelled, **ENDPOINT))
    assert backend.endpoint == f"http://127.0.0.1:{port}/v1"
    dumped = with_credentials.result.model_dump_json()
    for secret in (SECRET, USER, PASSWORD):
        assert secret not in dumped and secret not in backend.endpoint
    default_port = OpenAIBackend(Settings(base_url="https://Example.org:443/v1", **ENDPOINT))
    assert default_port.endpoint == "https://example.org/v1"


def test_the_embedded_models_cache_key_is_unchanged() -> None:
    """No endpoint, no new entry: cached results of the default flow stay valid."""
    extractor = Extractor(Settings(backend="local", use_cache=False))
    backend = extractor.backend
    assert getattr(backend, "endpoint", None) is None
    material = extractor._key_material
    assert "endpoint" not in json.loads(material)
    assert material == key_material(
        model=backend.model,
        endpoint_kind=backend.endpoint_kind,
        prompt_hash=extractor.prompt.sha256,
        schema_hash=extractor.schema_hash,
        mode=backend.mode,
        sampling=extractor.sampling(),
        options=extractor._key_options(),
    )


@pytest.fixture
def warned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Warnings are once per process and endpoint; each test starts with none given."""
    monkeypatch.setattr(openai_compat, "_WARNED", set())


@pytest.mark.parametrize(
    "base_url",
    ["http://10.1.2.3:8000/v1", "http://gpu-box.lan/v1", "http://[2001:db8::1]:8000/v1"],
)
def test_a_key_sent_over_plain_http_to_another_machine_is_warned_once(
    base_url: str, warned: None, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(3):
        OpenAIBackend(Settings(base_url=base_url, api_key=SECRET, **ENDPOINT))
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    host = base_url.split("//", 1)[1].split("/", 1)[0]
    assert err == (
        f"llm-extract: warning: the API key goes over plain http to {host}, readable on "
        "the way; use https, or unset OPENAI_API_KEY if the server needs no key\n"
    )
    assert SECRET not in err


@pytest.mark.parametrize(
    ("base_url", "key"),
    [
        ("http://127.0.0.1:8000/v1", SECRET),
        ("http://127.8.9.10:8000/v1", SECRET),
        ("http://localhost:11434/v1", SECRET),
        ("http://LOCALHOST:11434/v1", SECRET),
        ("http://[::1]:8000/v1", SECRET),
        ("https://10.1.2.3/v1", SECRET),
        ("http://10.1.2.3:8000/v1", None),  # no key: nothing to give away
    ],
)
def test_no_warning_for_loopback_https_or_no_key(
    base_url: str, key: str | None, warned: None, capsys: pytest.CaptureFixture[str]
) -> None:
    OpenAIBackend(Settings(base_url=base_url, api_key=key, **ENDPOINT))
    assert capsys.readouterr().err == ""


def test_credentials_in_the_url_over_plain_http_are_warned_too(
    warned: None, capsys: pytest.CaptureFixture[str]
) -> None:
    OpenAIBackend(Settings(base_url=f"http://{USER}:{PASSWORD}@10.1.2.3/v1", **ENDPOINT))
    err = capsys.readouterr().err
    assert err == (
        "llm-extract: warning: the credentials in the URL go over plain http to 10.1.2.3, "
        "readable on the way; use https\n"
    )


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


ECHOES: dict[str, Callable[[str], str]] = {
    "verbatim": lambda auth: f"Refused: {auth}",
    "url-encoded": lambda auth: f"Refused: {quote(auth, safe='')}",
    "base64": lambda auth: f"Refused token {b64(auth)}",
    "base64-inside": lambda auth: f"Refused {b64('header=' + auth + ';')}",
    "split": lambda auth: f"Refused: {auth[:18]}\n{auth[18:]}",
    "cut-at-the-excerpt": lambda auth: "x" * 280 + auth,
}


def echoing(transform: Callable[[str], str]) -> Callable[[Received], Reply]:
    def answer(request: Received) -> Reply:
        auth = request.headers.get("authorization", "")
        return api_error(401, transform(auth), "invalid_request_error")

    return answer


def forms_of(*secrets: str) -> list[str]:
    """What must not show: each secret, its halves, URL-encoded and base64 forms."""
    forms = []
    for secret in secrets:
        forms += [secret, quote(secret, safe=""), b64(secret)[:-4]]
        forms += [secret[: len(secret) // 2], secret[len(secret) // 2 :]]
    return forms


def hidden_in_base64(message: str, secret: str) -> bool:
    """Whether any base64 run of `message`, at any alignment, decodes to bytes holding
    `secret` or either of its halves."""
    pieces = [secret, secret[: len(secret) // 2], secret[len(secret) // 2 :]]
    for run in re.findall(r"[A-Za-z0-9+/]{8,}", message):
        for start in range(4):
            chunk = run[start:]
            chunk = chunk[: len(chunk) - len(chunk) % 4]
            try:
                decoded = base64.b64decode(chunk).decode("latin-1")
            except (binascii.Error, ValueError):
                continue
            if any(len(piece) >= 6 and piece in decoded for piece in pieces):
                return True
    return False


@pytest.mark.timeout(20)
@pytest.mark.parametrize("echo", ECHOES, ids=list(ECHOES))
@pytest.mark.parametrize("path", PATHS)
def test_an_echoed_key_is_not_repeated_in_the_error(
    path: str, echo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_waits(monkeypatch)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with FaultServer(default=echoing(ECHOES[echo])) as server:
        outcome = through(path, server)
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"
    assert outcome.message is not None and "HTTP 401" in outcome.message
    assert "\n" not in outcome.message and "***" in outcome.message
    for form in forms_of(SECRET, f"Bearer {SECRET}"):
        assert form not in outcome.message, form
    assert not hidden_in_base64(outcome.message, SECRET)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("echo", ECHOES, ids=list(ECHOES))
@pytest.mark.parametrize("path", PATHS)
def test_echoed_url_credentials_are_not_repeated_in_the_error(
    path: str, echo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Credentials in the URL go out as HTTP Basic auth, on both paths alike."""
    record_waits(monkeypatch)
    with FaultServer(default=echoing(ECHOES[echo])) as server:
        base_url = server.url.replace("http://", f"http://{USER}:{PASSWORD}@") + "/v1"
        outcome = through(path, base_url)
    basic = f"Basic {b64(f'{USER}:{PASSWORD}')}"
    assert server.requests[0].headers["authorization"] == basic
    assert outcome.message is not None and "HTTP 401" in outcome.message
    assert "\n" not in outcome.message and "***" in outcome.message
    assert f"{server.url}/v1 (model" in outcome.message, "the endpoint, without userinfo"
    for form in forms_of(f"{USER}:{PASSWORD}", PASSWORD, basic, b64(f"{USER}:{PASSWORD}")):
        assert form not in outcome.message, form
    assert not hidden_in_base64(outcome.message, PASSWORD)


@pytest.mark.parametrize(
    ("base_url", "shown"),
    [
        ("http://h:abc/v1", "http://h:abc/v1"),
        (f"http://{USER}:{PASSWORD}@h:99999/v1?api-key={SECRET}", "http://h:99999/v1"),
        ("ftp://files.example.org/v1", "ftp://files.example.org/v1"),
        ("127.0.0.1:8080/v1", "127.0.0.1:8080/v1"),
        ("http:///v1", "http:///v1"),
        ("http://[::1/v1", "http://[::1/v1"),
    ],
)
def test_an_unusable_endpoint_url_is_refused_in_one_line(base_url: str, shown: str) -> None:
    with pytest.raises(ConfigError) as caught:
        OpenAIBackend(Settings(base_url=base_url, **ENDPOINT))
    assert str(caught.value) == (
        f"the endpoint URL {shown!r} is not an http(s) URL with a host and a valid port; "
        "an endpoint URL looks like http://127.0.0.1:11434/v1"
    )
