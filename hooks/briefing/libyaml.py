"""PyYAML, for the front matter that the fast reader (briefing.yamlsub) leaves to it: composing with libyaml,
the event scan of hostile input, and PyYAML's own constructor for the values MkDocs is handed. Imported only
when needed: importing PyYAML costs 40-60% of what reading a thousand ordinary pages' front matter does."""

from __future__ import annotations

from typing import Any

import yaml

from .yamlsub import MappingNode, Node, ScalarNode, SequenceNode, plain_tag

try:  # the C parser is much faster; fall back to pure Python where libyaml is missing
    from yaml.cyaml import CParser
    from yaml.cyaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

    NodeLoader = Loader
else:
    from yaml.resolver import Resolver

    class NodeLoader(CParser, Resolver):  # type: ignore[no-redef]
        """CSafeLoader's parser, composer and tags, without its constructor (composing never uses it) and with
        cheaper tag resolution. libyaml calls `resolve` for every node; a plain scalar's tag depends on its text
        alone, so it is decided by the first character where it can be, and remembered otherwise (the same
        table as the fast reader's). tests/test_fastpaths.py compares the nodes with CSafeLoader's.
        """

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Resolver.__init__(self)

        def resolve(self, kind: type, value: Any, implicit: Any) -> str:
            if kind is yaml.ScalarNode and implicit[0]:
                return plain_tag(value)
            return Resolver.resolve(self, kind, value, implicit)

        # Path resolvers are all that these two serve, and none is registered (a test checks): skip them.
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass


YAMLError = yaml.YAMLError
MarkedYAMLError = yaml.MarkedYAMLError


def compose(text: str, first_line: int = 0) -> Node | None:
    """libyaml's nodes for `text`, as briefing.yamlsub nodes (the text's first line numbered `first_line`,
    columns from 1). Raises yaml.YAMLError on invalid YAML."""
    node = yaml.compose(text, Loader=NodeLoader)
    return None if node is None else from_yaml(node, first_line)


def from_yaml(node: yaml.Node, first_line: int = 0) -> Node:
    line, col = node.start_mark.line + first_line, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        return ScalarNode(node.tag, node.value, line, col)
    if isinstance(node, yaml.SequenceNode):
        return SequenceNode(node.tag, [from_yaml(n, first_line) for n in node.value], line, col)
    return MappingNode(
        node.tag, [(from_yaml(k, first_line), from_yaml(v, first_line)) for k, v in node.value], line, col
    )


def to_yaml(node: Node) -> yaml.Node:
    if type(node) is ScalarNode:
        return yaml.ScalarNode(node.tag, node.value)
    if type(node) is SequenceNode:
        return yaml.SequenceNode(node.tag, [to_yaml(n) for n in node.value])
    return yaml.MappingNode(node.tag, [(to_yaml(k), to_yaml(v)) for k, v in node.value])


def scan(text: str) -> tuple[str, int, int] | None:
    """The first alias or anchor, or the first list or mapping nested more than MAX_DEPTH deep, as (what, line,
    column), 0-based, found by walking the parser's events without building anything; None if there is none
    (or the text is not valid YAML, which composing then reports with its position)."""
    from .frontmatter import MAX_DEPTH

    depth = 0
    try:
        for ev in yaml.parse(text, Loader=Loader):
            if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None):
                return "alias", ev.start_mark.line, ev.start_mark.column
            if isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return "deep", ev.start_mark.line, ev.start_mark.column
            elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    return None


_SAFE: list = []  # one SafeConstructor, made on first use and reused


def safe_construct(node: Node) -> Any:
    """PyYAML's SafeConstructor on a node: what `yaml.load(text, CSafeLoader)` gives for that part of it."""
    if not _SAFE:
        from yaml.constructor import SafeConstructor

        _SAFE.append(SafeConstructor())
    try:
        return _SAFE[0].construct_document(to_yaml(node))  # which resets the constructor's state when done
    except Exception:
        _SAFE.clear()  # a failure may leave that state half-way: start afresh next time
        raise
