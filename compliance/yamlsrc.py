"""Safe YAML/JSON loading that remembers where every value came from.

Errors must name file:line:column, so we compose the YAML node graph ourselves and build plain
Python values from it, recording the mark of every mapping key and value by its path. Only the
standard scalar tags are accepted: a ``!!python/...`` tag, or any other tag, is an error, so nothing
in an input file can ever construct an arbitrary object.

Booleans follow YAML 1.2 (``true``/``false`` only), so a country code ``NO`` stays a string.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from compliance.errors import Problem, UserError

try:  # libyaml is several times faster when present
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader

Path_ = tuple[str | int, ...]

_MAX_NODES = 10_000_000  # expanded size limit: defeats alias ("billion laughs") bombs
_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader with YAML 1.2 booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


@dataclass(frozen=True, slots=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Document:
    """Data loaded from one file, with the source position of every value."""

    file: str
    data: Any
    marks: dict[Path_, Mark] = field(default_factory=dict)
    key_marks: dict[Path_, Mark] = field(default_factory=dict)
    # style and raw value of string scalars, to locate a column inside an expression
    scalar_styles: dict[Path_, str | None] = field(default_factory=dict)

    def mark(self, path: Path_) -> Mark | None:
        """The mark of the value at ``path``, or of its nearest located ancestor."""
        p = tuple(path)
        while True:
            if p in self.marks:
                return self.marks[p]
            if not p:
                return None
            p = p[:-1]

    def problem(self, path: Path_, message: str, *, key: bool = False) -> Problem:
        m = self.key_marks.get(tuple(path)) if key else None
        m = m or self.mark(path)
        return Problem(
            self.file,
            m.line if m else None,
            m.column if m else None,
            dotted(path) or None,
            message,
        )


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, file: str, loader: _Loader) -> None:
        self.doc = Document(file, None)
        self.loader = loader
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.doc.marks[path] = _mark(node)
        if node.tag not in _SAFE_TAGS:
            m = _mark(node)
            self.problems.append(
                Problem(
                    self.doc.file,
                    m.line,
                    m.column,
                    dotted(path) or None,
                    f"tag {node.tag!r} is not allowed: input files hold plain data only",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if (
                    not isinstance(key_node, yaml.ScalarNode)
                    or key_node.tag == "tag:yaml.org,2002:null"
                ):
                    m = _mark(key_node)
                    self.problems.append(
                        Problem(
                            self.doc.file,
                            m.line,
                            m.column,
                            dotted(path) or None,
                            "mapping keys must be plain strings",
                        )
                    )
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                    m = _mark(key_node)
                    self.problems.append(
                        Problem(
                            self.doc.file,
                            m.line,
                            m.column,
                            dotted(path) or None,
                            "YAML merge keys ('<<') are not supported",
                        )
                    )
                    continue
                key = str(key_node.value)
                if key in out:
                    m = _mark(key_node)
                    self.problems.append(
                        Problem(
                            self.doc.file,
                            m.line,
                            m.column,
                            dotted((*path, key)),
                            f"duplicate key {key!r}",
                        )
                    )
                    continue
                self.doc.key_marks[(*path, key)] = _mark(key_node)
                out[key] = self.build(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.tag == "tag:yaml.org,2002:str":
            self.doc.scalar_styles[path] = node.style
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            m = _mark(node)
            self.problems.append(
                Problem(
                    self.doc.file,
                    m.line,
                    m.column,
                    dotted(path) or None,
                    f"bad value {node.value!r}: {getattr(exc, 'problem', None) or exc}",
                )
            )
            return None


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many nodes building this tree would visit, counting every alias use (memoised)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # a recursive alias is caught by the composer; this guards the recursion
    size = 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, memo) + _expanded_size(v, memo)
            if size > _MAX_NODES:
                break
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            size += _expanded_size(item, memo)
            if size > _MAX_NODES:
                break
    memo[key] = size
    return size


def _syntax_problem(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    what = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    msg = f"YAML syntax error: {what}" + (f" ({context})" if context else "")
    if mark is None:
        return Problem(file, None, None, None, msg)
    return Problem(file, mark.line + 1, mark.column + 1, None, msg)


def parse_yaml(text: str, file: str) -> Document:
    """Parse one YAML (or JSON) document; raise UserError listing every problem."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise UserError(_syntax_problem(file, exc)) from None
    finally:
        loader.dispose()
    if root is not None and _expanded_size(root, {}) > _MAX_NODES:
        raise UserError(
            Problem(file, None, None, None, "document too large once aliases are expanded")
        )
    builder = _Builder(file, loader)
    data = None if root is None else builder.build(root, ())
    if builder.problems:
        raise UserError(builder.problems)
    builder.doc.data = data
    return builder.doc


def parse_json(text: str, file: str) -> Document:
    """Strict JSON; the same text is then read as YAML only to learn where each value sits."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            Problem(file, exc.lineno, exc.colno, None, f"JSON syntax error: {exc.msg}")
        ) from None
    try:
        doc = parse_yaml(text, file)
    except UserError:  # valid JSON that YAML 1.1 reads differently: keep the data, lose marks
        return Document(file, data)
    doc.data = data
    return doc


def load_file(path: Path) -> Document:
    """Load a .yaml/.yml/.json file with marks."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(
            Problem(str(path), None, None, None, f"not UTF-8 text ({exc.reason})")
        ) from None
    except OSError as exc:
        raise UserError(
            Problem(str(path), None, None, None, f"cannot read: {exc.strerror}")
        ) from None
    if path.suffix.lower() == ".json":
        return parse_json(text, str(path))
    return parse_yaml(text, str(path))
