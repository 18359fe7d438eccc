"""Validates graft's bindings schema with the reference Python implementation.

Usage: validate.py SCHEMA.json CASES.json
CASES.json is a list of {"name", "valid", "instance"}; prints one line per
case and exits 1 if any case disagrees, or if the schema itself is invalid.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("the Python package `jsonschema` is missing: pip install jsonschema", file=sys.stderr)
    sys.exit(3)

schema = json.load(open(sys.argv[1]))
cases = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failed = 0
for case in cases:
    errors = list(validator.iter_errors(case["instance"]))
    ok = not errors
    if ok != case["valid"]:
        failed += 1
        detail = "; ".join(e.message for e in errors) or "no errors"
        print(f"MISMATCH {case['name']}: expected valid={case['valid']}, got {detail}")
    else:
        print(f"ok {case['name']}")
sys.exit(1 if failed else 0)
