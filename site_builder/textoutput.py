"""Autoescaped template output written as text: ``markupsafe.escape``'s characters, without a Markup per value.

Jinja compiles each ``{{ ... }}`` of an autoescaped template to ``escape(...)``,
a name looked up in the compiled template's own namespace, and only ever writes
what it returns: yielded as output, or joined into a buffer that is marked safe
as a whole (a macro, a ``{% set %}`` or filter block).  For a ``str``,
markupsafe's ``escape`` wraps the escaped text in a :class:`~markupsafe.Markup`
through two Python calls, about a fifth of rendering a record page, which
writes some 190 values.  :class:`TextOutputTemplate` gives its templates
:func:`escape_output` instead, which returns the same characters as a plain
string, and a :class:`~markupsafe.Markup` (a macro's output) as it is; any
other value (numbers, objects with ``__html__``) still goes to markupsafe.
(Without autoescape Jinja compiles ``{{ }}`` to ``str(...)``: nothing changes.)
An older markupsafe without ``_escape_inner`` (2.x, whose ``escape`` is one C
call) keeps its own ``escape``.

What :meth:`~jinja2.Template.render` returns is the same.  The pieces that
:meth:`~jinja2.Template.generate` and ``stream`` give one by one are plain
strings where they were Markup: joined as text, as the build does, they are
the same; joined as Markup (``Markup("").join(...)``) they would be escaped again.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from types import CodeType
from typing import Any

import jinja2
import markupsafe

__all__ = ["TextOutputTemplate", "escape_output"]


# markupsafe's escape of a string's characters (markupsafe 3: its C speedup when built, else Python). A name
# markupsafe does not export: without it, templates keep markupsafe's escape (tests check the characters match).
_escape_text: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)


def escape_output(value: Any) -> Any:
    """What ``{{ value }}`` writes in an autoescaped template: ``markupsafe.escape(value)``'s characters."""
    kind = type(value)
    if kind is str and _escape_text is not None:
        return _escape_text(value)
    if kind is markupsafe.Markup:  # safe already (a macro's output, a badge): escape would copy it
        return value
    return markupsafe.escape(value)


class TextOutputTemplate(jinja2.Template):
    """A template whose ``{{ ... }}`` values are escaped by :func:`escape_output`."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__  # the namespace the compiled code runs in
        if _escape_text is not None and namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = escape_output
        return template
