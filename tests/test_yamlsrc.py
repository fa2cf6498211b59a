"""Safe YAML loading with source positions."""

from __future__ import annotations

from datetime import date

import pytest

from compliance.errors import UserError
from compliance.yamlsrc import parse_json, parse_yaml


def test_marks_and_values() -> None:
    doc = parse_yaml("a: 1\nb:\n  c: [x, y]\n  d: 2027-03-01\n", "f.yaml")
    assert doc.data == {"a": 1, "b": {"c": ["x", "y"], "d": date(2027, 3, 1)}}
    assert (doc.marks[("b", "c", 1)].line, doc.marks[("b", "c", 1)].column) == (3, 10)
    assert doc.key_marks[("b", "d")].line == 4


def test_yaml_1_2_booleans_keep_country_codes() -> None:
    doc = parse_yaml("country: NO\nanswer: yes\nflag: true\noff: off\n", "f.yaml")
    assert doc.data == {"country": "NO", "answer": "yes", "flag": True, "off": "off"}


def test_duplicate_keys_are_errors() -> None:
    with pytest.raises(UserError, match=r"f.yaml:2:1: a: duplicate key 'a'"):
        parse_yaml("a: 1\na: 2\n", "f.yaml")


def test_merge_keys_are_refused() -> None:
    with pytest.raises(UserError, match="merge keys"):
        parse_yaml("base: &b {x: 1}\nthing:\n  <<: *b\n", "f.yaml")


def test_multiple_documents_are_refused() -> None:
    with pytest.raises(UserError, match="YAML syntax error"):
        parse_yaml("a: 1\n---\nb: 2\n", "f.yaml")


def test_json_with_marks_and_json_errors() -> None:
    doc = parse_json('{\n  "a": {"b": 1}\n}\n', "f.json")
    assert doc.marks[("a", "b")].line == 2
    with pytest.raises(UserError, match=r"f.json:3:1: JSON syntax error: Expecting property name"):
        parse_json('{\n  "a": 1,\n}\n', "f.json")
