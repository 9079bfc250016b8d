"""Load a YAML data file, check it against its JSON Schema, and report
problems by file, line, column and place.

Every data kind (the link registry, checklists, worksheets) goes through
`load()`. A problem raises `DataError`, whose message reads like

    data/checklists.yml:41:9: checklists[2].items[4]: 'text' is required

so a content editor can open the file at the right line. All problems found
in one file are reported together, not just the first.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SCHEMA_DIR = Path(__file__).parent / "schemas"
MAX_REPORTED = 25

Place = tuple[Any, ...]


class _Loader(yaml.SafeLoader):
    """YAML, with dates left as the text they were (2026-11-26): data stays
    JSON-like for the schemas, and a wrong date is reported by its checker,
    with its line, instead of failing inside the YAML reader."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class DataError(Exception):
    """Bad data: the message names the file, the place and what is wrong."""


def place_text(place: Place) -> str:
    """('checklists', 2, 'items', 4) -> 'checklists[2].items[4]'."""
    out = ""
    for part in place:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


@dataclass
class Document:
    """A loaded data file: its data, and where each value sits in the file."""

    path: Path
    label: str  # the path as shown in messages, relative to the project
    data: Any
    marks: dict[Place, tuple[int, int]] = field(default_factory=dict)

    def where(self, place: Place) -> str:
        """'file:line:col: place' for a value, or the nearest parent we know."""
        probe = tuple(place)
        while probe not in self.marks and probe:
            probe = probe[:-1]
        line, col = self.marks.get(probe, (1, 1))
        return f"{self.label}:{line}:{col}: {place_text(place)}"

    def error(self, place: Place, what: str) -> str:
        return f"{self.where(place)}: {what}"


def _walk(node: yaml.Node, place: Place, marks: dict, problems: list) -> None:
    """Record the line and column of every value, and catch duplicate keys
    (PyYAML would silently keep the last one)."""
    marks[place] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                problems.append(
                    (key_node.start_mark, place + (key,),
                     f"'{key}' is given twice (first on line {seen[key]})")
                )
            seen[key] = key_node.start_mark.line + 1
            _walk(value_node, place + (key,), marks, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, place + (index,), marks, problems)


def _describe(error: jsonschema.ValidationError) -> str:
    """Turn a jsonschema error into plain words."""
    name = error.path[-1] if error.path else None
    kind = error.validator
    if kind == "required":
        missing = [p for p in error.validator_value if p not in error.instance]
        return ", ".join(f"'{p}' is required" for p in missing)
    if kind == "minLength" and error.validator_value == 1:
        return f"'{name}' must not be empty"
    if kind == "maxLength":
        return f"'{name}' is {len(error.instance)} characters; keep it to {error.validator_value}"
    if kind == "minProperties":
        options = ", ".join(sorted(error.schema.get("properties", {})))
        return f"'{name}' needs at least one of: {options}"
    if kind == "minItems":
        return f"'{name}' needs at least {error.validator_value} item(s)"
    if kind == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        got = type(error.instance).__name__
        got = {"str": "text", "int": "a number", "float": "a number",
               "bool": "true/false", "dict": "a mapping", "list": "a list",
               "NoneType": "nothing"}.get(got, got)
        label = f"'{name}'" if isinstance(name, str) else "this entry"
        return f"{label} should be {wanted}, but it is {got}"
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        return (f"unknown field(s) {', '.join(repr(e) for e in extra)}; "
                f"allowed: {', '.join(allowed)}")
    if kind == "pattern":
        hint = error.schema.get("description", f"the pattern {error.validator_value}")
        return f"'{name}' is {error.instance!r}; it must be {hint}"
    if kind == "enum":
        options = ", ".join(repr(v) for v in error.validator_value)
        return f"'{name}' is {error.instance!r}; it must be one of {options}"
    return error.message


def _located(doc: Document, error: jsonschema.ValidationError) -> str:
    """The message for a schema error, on the line of an unknown field
    itself rather than of the mapping that holds it."""
    place = tuple(error.path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        extra = [key for key in error.instance if key not in allowed]
        if extra and place + (extra[0],) in doc.marks:
            line, col = doc.marks[place + (extra[0],)]
            return f"{doc.label}:{line}:{col}: {place_text(place)}: {_describe(error)}"
    return doc.error(place, _describe(error))


def load_schema(name: str) -> dict:
    with open(SCHEMA_DIR / f"{name}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


def load(path: Path, schema: str, root: Path | None = None) -> Document:
    """Read `path`, check it against schemas/<schema>.schema.json, return it.

    Raises DataError naming the file, line, column and place of each problem.
    """
    label = str(path.relative_to(root)) if root else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{label}: the file is missing") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None

    key = (label, (SCHEMA_DIR / f"{schema}.schema.json").read_text(encoding="utf-8"), text)
    cached = _CHECKED.get(key)
    if cached is not None:  # unchanged since the last build (`mkdocs serve`)
        data, marks = copy.deepcopy(cached)
        return Document(path=path, label=label, data=data, marks=marks)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{label}:{mark.line + 1}:{mark.column + 1}" if mark else label
        what = exc.problem or exc.context or "not valid YAML"
        if "mapping values are not allowed" in what:
            what += " (text that contains ': ' must be put in quotes)"
        if exc.context and exc.context_mark and exc.problem_mark:
            start = exc.context_mark
            what += f" ({exc.context} that starts at line {start.line + 1}, column {start.column + 1})"
        raise DataError(f"{where}: YAML syntax error: {what}") from None
    finally:
        loader.dispose()

    doc = Document(path=path, label=label, data=data)
    problems: list = []
    if node is not None:
        _walk(node, (), doc.marks, problems)
    messages = [f"{label}:{m.line + 1}:{m.column + 1}: {place_text(p)}: {w}"
                for m, p, w in problems]

    validator = jsonschema.Draft202012Validator(load_schema(schema))
    errors = sorted(validator.iter_errors(data),
                    key=lambda e: doc.marks.get(tuple(e.path), (0, 0)))
    messages += [_located(doc, e) for e in errors]
    if messages:
        raise DataError(report(messages))
    if len(_CHECKED) > 64:
        _CHECKED.clear()
    _CHECKED[key] = copy.deepcopy((doc.data, doc.marks))
    return doc


# Files read and checked before, by their text: the live preview rebuilds
# after every edit, and reading the YAML with its line numbers is slow.
_CHECKED: dict[tuple[str, str, str], tuple[Any, dict]] = {}


def lookup(items: dict, key: str, kind: str, doc: Document, where: str):
    """items[key] for the macro `kind(key)` called on the page `where`; a
    clear error naming the page, the call and the data file when missing."""
    try:
        return items[key]
    except KeyError:
        known = ", ".join(sorted(items))
        raise DataError(f"{where}: {kind}({key!r}): there is no {kind} with that id in "
                        f"{doc.label} (known ids: {known})") from None


def report(messages: list[str]) -> str:
    """Join problems into one message, capped so a broken file stays readable."""
    shown = messages[:MAX_REPORTED]
    more = len(messages) - len(shown)
    text = "\n".join(shown)
    if more:
        text += f"\n(and {more} more problem(s))"
    return text
