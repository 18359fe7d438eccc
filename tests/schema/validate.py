"""Validates graft's bindings schema with the reference Python implementation.

Usage: validate.py SCHEMA.json CASES.json [MARKDOWN...]
CASES.json is a list of {"name", "valid", "instance"}. Every ```yaml block of
each MARKDOWN file is a further case that must be valid. Prints one line per
case and exits 1 if any case disagrees, or if the schema itself is invalid.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("the Python package `jsonschema` is missing: pip install jsonschema", file=sys.stderr)
    sys.exit(3)

try:
    import yaml
except ImportError:
    print("the Python package `PyYAML` is missing: pip install pyyaml", file=sys.stderr)
    sys.exit(3)

schema = json.load(open(sys.argv[1]))
cases = json.load(open(sys.argv[2]))
for path in sys.argv[3:]:
    block = None
    for n, line in enumerate(open(path), start=1):
        if block is None and line.strip() == "```yaml":
            block, start = [], n
        elif block is not None and line.strip() == "```":
            cases.append({"name": f"{path}:{start}", "valid": True, "instance": yaml.safe_load("".join(block))})
            block = None
        elif block is not None:
            block.append(line)
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
