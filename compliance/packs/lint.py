"""`compliance packs lint`: what loads but is probably a mistake."""

from __future__ import annotations

from collections.abc import Iterator

from compliance.packs.expr import BoolOp, Compare, In, IsKnown, Name, Node, Not, parse
from compliance.packs.loader import Pack


def _names(node: Node) -> Iterator[str]:
    if isinstance(node, Name):
        yield node.name
    elif isinstance(node, Not):
        yield from _names(node.operand)
    elif isinstance(node, BoolOp):
        for operand in node.operands:
            yield from _names(operand)
    elif isinstance(node, Compare | In):
        yield from _names(node.left)
        yield from _names(node.right)
    elif isinstance(node, IsKnown):
        yield from _names(node.operand)


def lint_pack(pack: Pack) -> list[str]:
    spec = pack.classify
    conditions = [r.when for r in spec.rules]
    conditions += [e.when for r in spec.rules for e in r.unless]
    conditions += [o.when for o in spec.obligations]
    conditions += [p.source.text for p in pack.predicates.values()]
    used: set[str] = set()
    for text in conditions:
        used.update(_names(parse(text)))
    out: list[str] = []
    where = f"{pack.path / 'classify.yaml'}"
    for name in spec.predicates:
        if name not in used:
            out.append(f"{where}: predicate {name!r} is never used")
    for name in pack.parameters.parameters:
        if f"param.{name}" not in used:
            out.append(f"{pack.path / 'parameters.yaml'}: parameter {name!r} is never used")
    decided = {r.then.category for r in spec.rules} | {spec.default.category}
    for cid in spec.categories:
        if cid not in decided:
            out.append(f"{where}: category {cid!r} is never the outcome of a rule")
    for i, rule in enumerate(spec.rules):
        if rule.when.strip() == "true" and not rule.unless and i + 1 < len(spec.rules):
            later = ", ".join(r.id for r in spec.rules[i + 1 :])
            out.append(f"{where}: rule {rule.id!r} always matches; unreachable after it: {later}")
    for source in pack.meta.sources:
        if not source.url:
            out.append(f"{pack.path / 'pack.yaml'}: source {source.id!r} has no url")
    return out
