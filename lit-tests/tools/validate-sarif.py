#!/usr/bin/env python3
"""Validate SARIF files against the SARIF 2.1.0 JSON schema.

usage: validate-sarif.py [--schema FILE] SARIF_FILE...

The schema is, in order of preference: --schema FILE, the file named by
$LOCKGRAPH_SARIF_SCHEMA (e.g. the official OASIS sarif-schema-2.1.0.json),
else lockgraph's own transcription, lit-tests/Inputs/sarif-2.1.0.schema.json.

Prints "OK: FILE" for each valid file, and for an invalid one every error as
"FILE: error: JSON_PATH: MESSAGE" followed by "FAIL: FILE (N errors)".
Exit status: 0 all files valid, 1 some file invalid or unreadable, 2 usage
error or unusable schema.

Needs the jsonschema module (Debian: python3-jsonschema). String formats are
checked: "uri" and "uri-reference" with jsonschema's own checker where the
installed package has one (Debian's python3-rfc3987, which python3-jsonschema
recommends), else with the RFC 3986 grammar below.
"""

import argparse
import json
import os
import re
import sys

SCHEMA_ENV = "LOCKGRAPH_SARIF_SCHEMA"
DEFAULT_SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                              "Inputs", "sarif-2.1.0.schema.json")
# Debian installs python3-jsonschema for the system interpreter only; when a
# python3 earlier in PATH (pyenv, a venv) lacks the module, retry with it.
SYSTEM_PYTHON = "/usr/bin/python3"
REEXEC_MARK = "LOCKGRAPH_VALIDATE_SARIF_REEXEC"

try:
    import jsonschema
except ImportError:
    if (not os.environ.get(REEXEC_MARK) and os.path.exists(SYSTEM_PYTHON)
            and os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON)):
        os.environ[REEXEC_MARK] = "1"
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
    sys.stderr.write("validate-sarif.py: error: the Python module 'jsonschema' is missing "
                     "(Debian: apt-get install python3-jsonschema)\n")
    sys.exit(2)

# --- RFC 3986 fallback for the "uri" and "uri-reference" formats -----------
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
_PCHAR_NC = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=@]|%[0-9A-Fa-f]{2})"  # no ':'
_AUTHORITY = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@\[\]]|%[0-9A-Fa-f]{2})*"
_TAIL = rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
_ABEMPTY = rf"(?:/{_PCHAR}*)*"
_URI = re.compile(rf"[A-Za-z][A-Za-z0-9+.\-]*:"
                  rf"(?://{_AUTHORITY}{_ABEMPTY}|/?(?:{_PCHAR}+{_ABEMPTY})?){_TAIL}")
_RELATIVE_REF = re.compile(rf"(?://{_AUTHORITY}{_ABEMPTY}"
                           rf"|/(?:{_PCHAR}+{_ABEMPTY})?"
                           rf"|{_PCHAR_NC}+{_ABEMPTY}"
                           rf"|){_TAIL}")


def _is_uri(value):
    return not isinstance(value, str) or _URI.fullmatch(value) is not None


def _is_uri_reference(value):
    return (not isinstance(value, str) or _URI.fullmatch(value) is not None
            or _RELATIVE_REF.fullmatch(value) is not None)


def format_checker_for(validator_class):
    """The draft's format checker, plus the URI fallbacks it lacks."""
    base = getattr(validator_class, "FORMAT_CHECKER", None)
    if base is None:  # jsonschema < 4.5
        base = getattr(jsonschema, "draft7_format_checker", jsonschema.FormatChecker())
    checker = jsonschema.FormatChecker(formats=())
    checker.checkers.update(base.checkers)
    if "uri" not in checker.checkers:
        checker.checks("uri")(_is_uri)
    if "uri-reference" not in checker.checkers:
        checker.checks("uri-reference")(_is_uri_reference)
    return checker


def json_path(path):
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", part):
            out += "." + part
        else:
            out += "[" + json.dumps(part) + "]"
    return out


MAX_MESSAGE = 300


def describe(error):
    """jsonschema's message, without pages of repeated instance data."""
    if error.validator == "uniqueItems" and isinstance(error.instance, list):
        seen = {}
        for i, item in enumerate(error.instance):
            key = json.dumps(item, sort_keys=True)
            if key in seen:
                return f"array has non-unique elements: [{seen[key]}] and [{i}] are equal"
            seen[key] = i
    message = error.message
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE - 5] + " ... " + message[-60:]
    return message


def path_key(path):
    """Sorts paths in document order for arrays (2 before 10), by name for keys."""
    return [(0, part, "") if isinstance(part, int) else (1, 0, part) for part in path]


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_constant=_reject_constant)


def main():
    parser = argparse.ArgumentParser(
        prog="validate-sarif.py",
        description="Validate SARIF files against the SARIF 2.1.0 JSON schema.",
        epilog=f"Without --schema, ${SCHEMA_ENV} names the schema file when set "
               f"(e.g. the official OASIS sarif-schema-2.1.0.json), else lockgraph's "
               f"transcription lit-tests/Inputs/sarif-2.1.0.schema.json is used.")
    parser.add_argument("--schema", metavar="FILE", help="JSON schema to validate against")
    parser.add_argument("files", nargs="+", metavar="SARIF_FILE")
    args = parser.parse_args()

    schema_file = args.schema or os.environ.get(SCHEMA_ENV) or DEFAULT_SCHEMA
    try:
        schema = load_json(schema_file)
    except (OSError, ValueError) as e:
        sys.stderr.write(f"validate-sarif.py: error: cannot load schema {schema_file}: {e}\n")
        return 2
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        sys.stderr.write(f"validate-sarif.py: error: {schema_file} is not a valid JSON schema: "
                         f"{json_path(e.absolute_path)}: {e.message}\n")
        return 2
    validator = cls(schema, format_checker=format_checker_for(cls))

    status = 0
    for name in args.files:
        try:
            doc = load_json(name)
        except (OSError, ValueError) as e:
            print(f"{name}: error: $: cannot read as JSON: {e}")
            print(f"FAIL: {name} (1 error)")
            status = 1
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: (path_key(e.absolute_path), e.message))
        if not errors:
            print(f"OK: {name}")
            continue
        for e in errors:
            print(f"{name}: error: {json_path(e.absolute_path)}: {describe(e)}")
        print(f"FAIL: {name} ({len(errors)} error{'s' if len(errors) != 1 else ''})")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
