"""What a template implies whatever the answers, worked out once per template rather than per review.

A gate reads thousands of reviews of the same few templates; the facts below (which questions can be
high, which can block, which concern each belongs to) depend on the template alone. Templates are
frozen, and a changed template file is loaded as a new object, so an entry keyed by identity is
never stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from workbook.core.models import Kind, Question, Template

T = TypeVar("T")

_KEEP = 16  # templates in use at once are few; past this the cache starts again


def per_template(fn: Callable[[Template], T]) -> Callable[[Template], T]:
    """``fn(template)``, computed once for each template object."""
    cache: dict[int, tuple[Template, T]] = {}

    def once(template: Template) -> T:
        hit = cache.get(id(template))
        if hit is not None and hit[0] is template:  # the template is held: its id is not reused
            return hit[1]
        value = fn(template)
        if len(cache) >= _KEEP:
            cache.clear()
        cache[id(template)] = (template, value)
        return value

    once.__doc__, once.__name__ = fn.__doc__, fn.__name__
    return once


ANSWERS_KEPT = 1024  # judged answers remembered per template: thousands of reviews give the same few choices


def few_valued(question: Question, value: Any) -> bool:
    """Whether a judgement of this answer is worth remembering: a choice or a yes/no, whose values are few.
    Numbers and text differ from file to file; kept, they would grow memory with the number of files."""
    return question.kind in (Kind.SINGLE, Kind.YES_NO) and (value is None or type(value) in (str, bool))
