#!/usr/bin/env bash
# Fills fuzz/corpus/TARGET with the repository's fixtures of each kind, the
# seeds the fuzzers start from (the corpus itself is not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
seed() { mkdir -p "fuzz/corpus/$1"; shift; for f in "$@"; do cp "$f" "fuzz/corpus/$target/$(echo "$f" | tr / _)"; done; }
target=rules; seed rules $(find rules tests/check tests/fmt -name '*.graft')
target=kubernetes; seed kubernetes $(find examples/shop/stack rules/tests/*-kubernetes*/stack -name '*.yaml')
target=terraform; seed terraform $(find rules/tests tests/apply -path '*/stack/*' -name '*.tf')
target=compose; seed compose $(find rules/tests tests/apply -path '*/stack/*' -name 'compose*.y*ml')
target=cloudformation; seed cloudformation $(find rules/tests tests/apply -path '*cloudformation*/stack/*' \( -name '*.yaml' -o -name '*.json' \))
target=bindings; seed bindings $(find tests/bindings rules/tests -name '*.yaml' -o -name '*.json' -o -name '*.toml' | grep -E 'tests/bindings/|bindings\.yaml$')
target=lsp; seed lsp fuzz/seeds/lsp/*
for t in fuzz/corpus/*; do echo "$t: $(ls "$t" | wc -l) seeds"; done
