"""Where a value is in YAML text: the line of a key or item, found in the composed node tree.

Record files (:class:`~.recordfile.Locator`) and the configuration
(:func:`~.config.setting_located`) report a problem on the line of the
field it is about; both walk the tree ``yaml.compose`` gives the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml

__all__ = ["child", "line_of"]


def child(node: yaml.Node | None, part: str | int) -> tuple[yaml.Node, int] | None:
    """The value of key ``part`` of a mapping, or item ``part`` of a sequence, and its line (0-based); or None."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value, key.start_mark.line
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item = node.value[part]
        return item, item.start_mark.line
    return None


def line_of(node: yaml.Node | None, path: Sequence[str | int]) -> int | None:
    """The line (0-based) of the deepest part of ``path`` found below ``node``; None if not even the first is."""
    line = None
    for part in path:
        found = child(node, part)
        if found is None:
            break
        node, line = found
    return line
