"""Running a step generator: it yields requests, receives answers (or has the call's
exception thrown into it), and returns a result. The pipeline's steps are written once
this way, then driven synchronously or on an event loop."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import TypeVar

Q = TypeVar("Q")
A = TypeVar("A")
T = TypeVar("T")


def drive(steps: Generator[Q, A, T], call: Callable[[Q], A]) -> T:
    try:
        request = next(steps)
        while True:
            try:
                answer = call(request)
            except Exception as exc:
                request = steps.throw(exc)
            else:
                request = steps.send(answer)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def adrive(steps: Generator[Q, A, T], call: Callable[[Q], Awaitable[A]]) -> T:
    try:
        request = next(steps)
        while True:
            try:
                answer = await call(request)
            except Exception as exc:
                request = steps.throw(exc)
            else:
                request = steps.send(answer)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
