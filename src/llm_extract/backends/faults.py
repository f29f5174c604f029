"""One line for a model call that failed in transport, the same whichever HTTP client
made it: what the endpoint did, how many attempts were made, and what to do next."""

from __future__ import annotations

import openai

from llm_extract.backends.replies import ResponseTooLarge, error_detail
from llm_extract.backends.retry import RetryPolicy, is_transient
from llm_extract.backends.structured import AttemptFailed, MalformedResponse

_STATUS_HINTS = {
    401: "check the key in OPENAI_API_KEY",
    403: "check the key's access to this model",
    404: "check --base-url (it usually ends in /v1) and --model",
}


def describe(failed: AttemptFailed, *, where: str, policy: RetryPolicy) -> str:
    """`where` names the endpoint and model; the message never holds more of a server's
    body than an excerpt (replies.error_detail)."""
    exc = failed.cause
    if isinstance(exc, openai.APIStatusError):
        retried = _attempts(failed, policy, " after retries") if is_transient(exc) else ""
        hint = _hint(_STATUS_HINTS.get(exc.status_code))
        return f"{where} answered HTTP {exc.status_code}{retried}: {_detail(exc)}{hint}"
    even = _attempts(failed, policy, ", even after retries")
    if isinstance(exc, openai.APITimeoutError):
        hint = _hint("raise --timeout if the model needs longer")
        return f"{where} timed out after {policy.timeout_s:g}s{even}{hint}"
    if isinstance(exc, openai.APIConnectionError):
        hint = _hint("check --base-url and that the server is running")
        return f"cannot reach {where}: connection failed{even}{hint}"
    if isinstance(exc, ResponseTooLarge):
        hint = _hint("raise --max-response-bytes if its answers are that large")
        return f"{where} {exc}{even}{hint}"
    if isinstance(exc, MalformedResponse):
        return f"{where} {exc}{even}"
    return f"{where} failed: {type(exc).__name__}: {error_detail(None, str(exc))}"


def _attempts(failed: AttemptFailed, policy: RetryPolicy, lead: str) -> str:
    """How many attempts, and whether the call's time limit is what stopped them."""
    limit = f"another would end past --max-total {policy.total_s:g}s"
    if failed.attempts <= 1:
        return f" (no retry: {limit})" if failed.out_of_time else ""
    stopped = f"; {limit}" if failed.out_of_time else ""
    return f"{lead} ({failed.attempts} attempts{stopped})"


def _hint(text: str | None) -> str:
    return f"; {text}" if text else ""


def _detail(exc: openai.APIStatusError) -> str:
    text = exc.response.text if exc.response is not None else str(exc.message)
    return error_detail(exc.body, text or str(exc.message))
