"""YAML front matter to Python values: PyYAML's safe loading, with its common cases built directly.

Front matter in plain block YAML, as records nearly always are, is read line by
line (:mod:`site_builder.plainyaml`); any other document is read by libyaml, here.
A record's front matter is mappings, lists and plain or quoted strings, with a
few dates and numbers.  PyYAML's constructor builds every node through the same
generic machinery (a state table, a generator per mapping, merge-key flattening);
for these common nodes that is most of the cost of reading a record.
:class:`FrontMatterLoader` builds them directly, each anchored collection once,
and hands other scalars (dates, numbers, booleans, nulls, explicit tags) to
PyYAML's own constructor.  Any document it does not build this way (merge or
value keys, tagged collections, an alias inside itself, a nest deeper than
Python's recursion allows) or any error is left to PyYAML's constructor from
the start, so the values, and the errors, are ``yaml.safe_load``'s (with libyaml).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .plainyaml import PLAIN_ONLY, SAFE_LOADER, STR, NotPlain, implicit_tag, load_plain

__all__ = ["FrontMatterLoader", "load"]

_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# Keys PyYAML's flatten_mapping rewrites: a merge key ``<<`` and a value key ``=`` (read as the string "=").
_KEYS_TO_FLATTEN = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")


class _Generic(Exception):
    """The document needs PyYAML's generic constructor (a recursive alias, a merge key, a tagged collection)."""


class FrontMatterLoader(SAFE_LOADER):  # type: ignore[misc]
    """``SafeLoader`` (libyaml's when present) that builds strings, mappings and lists without the generic path."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """``BaseResolver.resolve`` for a resolver without path or wildcard rules: the same tags, fewer steps."""
        if not PLAIN_ONLY:
            return str(super().resolve(kind, value, implicit))
        if kind is ScalarNode:
            return implicit_tag(value) if implicit[0] else STR
        return _SEQ if kind is SequenceNode else _MAP

    def construct_document(self, node: Node) -> Any:
        try:
            return self._build(node, {}, set())
        except Exception:  # an alias inside itself, a merge key, a deep nest, a bad value: PyYAML decides
            pass
        finally:  # as BaseConstructor leaves itself after a document, whatever happened
            self.constructed_objects: dict[Node, Any] = {}
            self.recursive_objects: dict[Node, None] = {}
            self.state_generators: list[Any] = []
            self.deep_construct = False
        return super().construct_document(node)

    def _build(self, node: Node, built: dict[int, Any], open_nodes: set[int]) -> Any:
        """``node``'s value; an anchor used again gives the same object, as PyYAML's does (``built``)."""
        tag, kind = node.tag, type(node)
        if kind is ScalarNode:
            if tag == STR:
                return node.value
            return self.construct_object(node, deep=True)
        if not ((kind is MappingNode and tag == _MAP) or (kind is SequenceNode and tag == _SEQ)):
            raise _Generic  # a tagged collection (!!omap, !!set ...): the generic path builds the document
        done = built.get(id(node))
        if done is not None:
            return done
        if id(node) in open_nodes:  # an alias of a collection inside itself
            raise _Generic
        open_nodes.add(id(node))
        if kind is SequenceNode:
            value: Any = [self._build(item, built, open_nodes) for item in node.value]
        else:
            value = {}
            for key_node, value_node in node.value:
                if key_node.tag in _KEYS_TO_FLATTEN:
                    raise _Generic
                key = self._build(key_node, built, open_nodes)
                hash(key)  # a TypeError: PyYAML's error instead
                value[key] = self._build(value_node, built, open_nodes)
        open_nodes.discard(id(node))
        built[id(node)] = value
        return value


def load(text: str) -> Any:
    """The value of one YAML document, as ``yaml.safe_load`` gives it: read directly when it is plain block YAML."""
    try:
        return load_plain(text)
    except NotPlain:
        pass  # PyYAML's error, if any, is raised outside this handler: not chained to NotPlain
    return yaml.load(text, Loader=FrontMatterLoader)
