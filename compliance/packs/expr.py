"""The condition language of rule packs: lexer, parser and syntax tree.

A condition is a small boolean expression over facts, parameters and named predicates::

    settlement == 'cash' and venue.type in param.trading_venues and not commercial_forward

Grammar (lowest precedence first)::

    expr     := or_expr
    or_expr  := and_expr ('or' and_expr)*
    and_expr := not_expr ('and' not_expr)*
    not_expr := 'not' not_expr | test
    test     := operand [ cmp_op operand | ['not'] 'in' operand
                        | 'is' ['not'] ('missing' | 'known') ]
    operand  := literal | list | name | '(' expr ')'
    cmp_op   := '==' | '!=' | '<' | '<=' | '>' | '>='
    literal  := 'text' | "text" | number | YYYY-MM-DD | true | false
    list     := '[' [literal (',' literal)*] ']'
    name     := IDENT ('.' IDENT)*

There are no calls, no attribute access beyond dotted fact names, no arithmetic and no way to
reach Python: the parser only ever builds the node types below, and the compiler turns those into
closures. Limits on length and nesting keep a hostile pack from exhausting the loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

MAX_LENGTH = 4000
MAX_DEPTH = 32
MAX_LIST = 1000


class ExprSyntaxError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


# --- syntax tree --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Node:
    pos: int


@dataclass(frozen=True, slots=True)
class Lit(Node):
    value: str | float | bool | date


@dataclass(frozen=True, slots=True)
class ListLit(Node):
    items: tuple[Lit, ...]


@dataclass(frozen=True, slots=True)
class Name(Node):
    name: str


@dataclass(frozen=True, slots=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class BoolOp(Node):
    op: str  # "and" | "or"
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Compare(Node):
    op: str  # == != < <= > >=
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class In(Node):
    left: Node
    right: Node
    negated: bool


@dataclass(frozen=True, slots=True)
class IsKnown(Node):
    operand: Node
    known: bool  # "is known" -> True, "is missing" -> False


# --- lexer --------------------------------------------------------------------------------

_KEYWORDS = {"and", "or", "not", "in", "is", "missing", "known", "true", "false"}
_FORBIDDEN_WORDS = {
    "lambda": "lambdas are not part of the pack language",
    "import": "imports are not part of the pack language",
    "if": "use 'and'/'or' instead of conditional expressions",
    "else": "use 'and'/'or' instead of conditional expressions",
    "for": "comprehensions are not part of the pack language",
    "None": "write 'X is missing' to test for an absent fact",
    "null": "write 'X is missing' to test for an absent fact",
    "True": "booleans are written 'true' and 'false'",
    "False": "booleans are written 'true' and 'false'",
}

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<date>\d{4}-\d{2}-\d{2}(?![\w.]))
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w]))
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<op>==|!=|<=|>=|<|>)
  | (?P<punct>[()\[\],.])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # name | keyword | string | number | date | op | punct | end
    text: str
    pos: int


def tokenize(source: str) -> list[Token]:
    if len(source) > MAX_LENGTH:
        raise ExprSyntaxError(f"condition longer than {MAX_LENGTH} characters", 0)
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if m is None:
            ch = source[pos]
            hint = {
                "+": "arithmetic is not part of the pack language",
                "-": "arithmetic is not part of the pack language",
                "*": "arithmetic is not part of the pack language",
                "/": "arithmetic is not part of the pack language",
                "=": "use '==' to compare",
                "&": "use 'and'",
                "|": "use 'or'",
                "!": "use 'not'",
                ":": "slices and dictionaries are not part of the pack language",
                "{": "dictionaries are not part of the pack language",
                "@": "decorators are not part of the pack language",
            }.get(ch, "not part of the pack language")
            raise ExprSyntaxError(f"unexpected character {ch!r}: {hint}", pos)
        kind = m.lastgroup or ""
        text = m.group()
        if kind == "name":
            if "__" in text:
                raise ExprSyntaxError(
                    f"names with double underscores ({text!r}) are not allowed", pos
                )
            if text in _FORBIDDEN_WORDS:
                raise ExprSyntaxError(f"{text!r}: {_FORBIDDEN_WORDS[text]}", pos)
            if text in _KEYWORDS:
                kind = "keyword"
        if kind != "ws":
            tokens.append(Token(kind, text, pos))
        pos = m.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


# --- parser -------------------------------------------------------------------------------

_UNESCAPE = re.compile(r"\\(.)")


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at(self, kind: str, text: str | None = None) -> bool:
        tok = self.tok
        return tok.kind == kind and (text is None or tok.text == text)

    def expect(self, kind: str, text: str, what: str) -> Token:
        if not self.at(kind, text):
            raise ExprSyntaxError(
                f"expected {what}, found {self._describe(self.tok)}", self.tok.pos
            )
        return self.advance()

    @staticmethod
    def _describe(tok: Token) -> str:
        return "end of condition" if tok.kind == "end" else repr(tok.text)

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprSyntaxError(f"condition nested deeper than {MAX_DEPTH} levels", pos)

    def parse(self) -> Node:
        node = self.or_expr()
        if not self.at("end"):
            tok = self.tok
            if tok.kind == "punct" and tok.text == "(":
                raise ExprSyntaxError("function calls are not part of the pack language", tok.pos)
            raise ExprSyntaxError(
                f"unexpected {self._describe(tok)}: "
                "expected 'and', 'or' or the end of the condition",
                tok.pos,
            )
        return node

    def or_expr(self) -> Node:
        first = self.and_expr()
        items = [first]
        while self.at("keyword", "or"):
            self.advance()
            items.append(self.and_expr())
        return first if len(items) == 1 else BoolOp(first.pos, "or", tuple(items))

    def and_expr(self) -> Node:
        first = self.not_expr()
        items = [first]
        while self.at("keyword", "and"):
            self.advance()
            items.append(self.not_expr())
        return first if len(items) == 1 else BoolOp(first.pos, "and", tuple(items))

    def not_expr(self) -> Node:
        if self.at("keyword", "not"):
            tok = self.advance()
            self.enter(tok.pos)
            operand = self.not_expr()
            self.depth -= 1
            return Not(tok.pos, operand)
        return self.test()

    def test(self) -> Node:
        left = self.operand()
        tok = self.tok
        if tok.kind == "op":
            self.advance()
            return Compare(tok.pos, tok.text, left, self.operand())
        if self.at("keyword", "in"):
            self.advance()
            return In(tok.pos, left, self.operand(), negated=False)
        if self.at("keyword", "not") and self.tokens[self.i + 1].text == "in":
            self.advance()
            self.advance()
            return In(tok.pos, left, self.operand(), negated=True)
        if self.at("keyword", "is"):
            self.advance()
            negated = False
            if self.at("keyword", "not"):
                self.advance()
                negated = True
            word = self.tok
            if word.kind != "keyword" or word.text not in ("missing", "known"):
                raise ExprSyntaxError(
                    f"expected 'missing' or 'known' after 'is', found {self._describe(word)}",
                    word.pos,
                )
            self.advance()
            known = (word.text == "known") != negated
            return IsKnown(tok.pos, left, known)
        return left

    def operand(self) -> Node:
        tok = self.tok
        if tok.kind == "punct" and tok.text == "(":
            self.advance()
            self.enter(tok.pos)
            node = self.or_expr()
            self.depth -= 1
            self.expect("punct", ")", "')'")
            return node
        if tok.kind == "punct" and tok.text == "[":
            return self.list_literal()
        if tok.kind == "name":
            return self.name()
        return self.literal()

    def literal(self) -> Lit:
        tok = self.advance()
        if tok.kind == "string":
            return Lit(tok.pos, _UNESCAPE.sub(r"\1", tok.text[1:-1]))
        if tok.kind == "number":
            return Lit(tok.pos, float(tok.text))
        if tok.kind == "date":
            try:
                return Lit(tok.pos, date.fromisoformat(tok.text))
            except ValueError:
                raise ExprSyntaxError(f"{tok.text!r} is not a valid date", tok.pos) from None
        if tok.kind == "keyword" and tok.text in ("true", "false"):
            return Lit(tok.pos, tok.text == "true")
        raise ExprSyntaxError(
            f"expected a fact, a value, a list or '(', found {self._describe(tok)}", tok.pos
        )

    def list_literal(self) -> ListLit:
        start = self.advance()
        items: list[Lit] = []
        if not self.at("punct", "]"):
            while True:
                if self.tok.kind == "name":
                    raise ExprSyntaxError(
                        "list items must be values (quote text: 'value')", self.tok.pos
                    )
                items.append(self.literal())
                if len(items) > MAX_LIST:
                    raise ExprSyntaxError(f"list longer than {MAX_LIST} items", start.pos)
                if self.at("punct", ","):
                    self.advance()
                    if self.at("punct", "]"):
                        break
                    continue
                break
        self.expect("punct", "]", "',' or ']'")
        return ListLit(start.pos, tuple(items))

    def name(self) -> Name:
        first = self.advance()
        parts = [first.text]
        while self.at("punct", "."):
            self.advance()
            part = self.tok
            if part.kind not in ("name", "keyword"):
                raise ExprSyntaxError(
                    f"expected a name after '.', found {self._describe(part)}", part.pos
                )
            if part.text.startswith("_"):
                raise ExprSyntaxError("names starting with '_' are not allowed", part.pos)
            self.advance()
            parts.append(part.text)
        if self.at("punct", "("):
            raise ExprSyntaxError("function calls are not part of the pack language", self.tok.pos)
        if self.at("punct", "["):
            raise ExprSyntaxError("indexing is not part of the pack language", self.tok.pos)
        return Name(first.pos, ".".join(parts))


def parse(source: str) -> Node:
    """Parse a condition; raise ExprSyntaxError with the offset of the problem."""
    if not source.strip():
        raise ExprSyntaxError("empty condition", 0)
    return _Parser(source).parse()


def literal_python(node: Lit) -> Any:
    return node.value
