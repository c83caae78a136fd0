#!/usr/bin/env python3
"""Check JSON documents against a JSON Schema, with the standard library.

    check-json-schema.py SCHEMA [DOCUMENT...]   (standard input without one)

Knows the keywords kith's schemas use: type, properties, required,
additionalProperties, items, minItems, maxItems, enum, const, minimum,
maximum, pattern, $ref (to "#/$defs/NAME") and the annotations ($schema,
$id, title, description). A schema that uses any other keyword is an
error, so that no rule is ever silently skipped. Exit 0 when every
document holds, 1 when one does not (each fault printed with its JSON
path), 2 for unusable input.

SPDX-License-Identifier: MIT
"""
import json
import re
import sys

ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs"}
CHECKED = {"type", "properties", "required", "additionalProperties", "items", "minItems",
           "maxItems", "enum", "const", "minimum", "maximum", "pattern", "$ref"}

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


class Checker:
    def __init__(self, root):
        self.root = root
        self.faults = []

    def resolve(self, ref):
        if not ref.startswith("#/$defs/"):
            raise ValueError("unsupported $ref %r" % ref)
        return self.root["$defs"][ref[len("#/$defs/"):]]

    def fault(self, path, message):
        self.faults.append("%s: %s" % (path or "$", message))

    def check(self, value, schema, path="$"):
        unknown = set(schema) - ANNOTATIONS - CHECKED
        if unknown:
            raise ValueError("schema at %s uses unsupported keywords %s" % (path, sorted(unknown)))
        if "$ref" in schema:
            self.check(value, self.resolve(schema["$ref"]), path)
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(TYPES[t](value) for t in types):
                self.fault(path, "%s is not of type %s" % (json.dumps(value)[:60], "/".join(types)))
                return
        if "const" in schema and value != schema["const"]:
            self.fault(path, "%r is not %r" % (value, schema["const"]))
        if "enum" in schema and value not in schema["enum"]:
            self.fault(path, "%r is not one of %r" % (value, schema["enum"]))
        if TYPES["number"](value):
            if "minimum" in schema and value < schema["minimum"]:
                self.fault(path, "%r is below %r" % (value, schema["minimum"]))
            if "maximum" in schema and value > schema["maximum"]:
                self.fault(path, "%r is above %r" % (value, schema["maximum"]))
        if isinstance(value, str) and "pattern" in schema:
            if not re.search(schema["pattern"], value):
                self.fault(path, "%r does not match %s" % (value, schema["pattern"]))
        if isinstance(value, dict):
            for key in schema.get("required", []):
                if key not in value:
                    self.fault(path, "missing key %r" % key)
            props = schema.get("properties", {})
            extra = schema.get("additionalProperties", True)
            for key, item in value.items():
                sub = "%s.%s" % (path, key)
                if key in props:
                    self.check(item, props[key], sub)
                elif extra is False:
                    self.fault(path, "unexpected key %r" % key)
                elif isinstance(extra, dict):
                    self.check(item, extra, sub)
        if isinstance(value, list):
            if "minItems" in schema and len(value) < schema["minItems"]:
                self.fault(path, "%d items, fewer than %d" % (len(value), schema["minItems"]))
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                self.fault(path, "%d items, more than %d" % (len(value), schema["maxItems"]))
            if "items" in schema:
                for i, item in enumerate(value):
                    self.check(item, schema["items"], "%s[%d]" % (path, i))


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as e:
        print("%s: %s" % (argv[1], e), file=sys.stderr)
        return 2
    status = 0
    for name in argv[2:] or ["-"]:
        try:
            if name == "-":
                doc = json.load(sys.stdin)
            else:
                with open(name, encoding="utf-8") as f:
                    doc = json.load(f)
        except (OSError, ValueError) as e:
            print("%s: not JSON: %s" % (name, e), file=sys.stderr)
            return 2
        checker = Checker(schema)
        try:
            checker.check(doc, schema)
        except (ValueError, KeyError) as e:
            print("%s: bad schema: %s" % (argv[1], e), file=sys.stderr)
            return 2
        for fault in checker.faults:
            print("%s: %s" % (name, fault), file=sys.stderr)
        if checker.faults:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
