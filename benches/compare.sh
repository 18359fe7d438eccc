#!/usr/bin/env bash
# graft beside the tools a platform engineer would use instead, on the same
# generated Kubernetes stack (issue 8; figures in docs/performance.md):
#
#   - `kubectl kustomize` running an overlay of four target-selector patches:
#     delete the Redis StatefulSets, Services and Secrets, and add the
#     customer's endpoint to the Deployments' environment;
#   - a yq/jq pipeline (Debian's yq, which runs jq over YAML) doing the same;
#   - `graft apply` with the shipped rules (which does more: it also drops
#     the ConfigMaps and PVCs only Redis used, rewrites every host, port and
#     URL where it is written, injects the credential and writes a hand-off).
#
# Usage: benches/compare.sh [OBJECTS] [RUNS]   (default 10000 objects, 3 runs;
# kustomize runs once above 2000 objects: it takes minutes)
#
# Needs hyperfine, kubectl (with its built-in kustomize), yq and jq:
#   apt-get install hyperfine yq jq    and kubectl from Kubernetes' packages
set -euo pipefail
cd "$(dirname "$0")/.."

objects=${1:-10000}
runs=${2:-3}

missing=()
for tool in hyperfine kubectl yq jq python3; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "error: benches/compare.sh needs ${missing[*]}" >&2
  echo "  help: apt-get install hyperfine yq jq; kubectl from https://kubernetes.io/docs/tasks/tools/" >&2
  exit 2
fi

cargo build --release --quiet --bin graft --example generate
# The stack and every tool's output on a tmpfs where the machine has one, so
# that what is timed is the tools' work, not the file system's: on an ext4
# without a journal, creating graft's hundreds of output files just after the
# previous run deleted them costs the kernel's search past recently deleted
# inodes (about 60 ms a run at 10,000 objects), which the other tools' one
# output file does not pay. WORK_DIR=/some/dir puts them elsewhere.
work=$(mktemp -d -p "${WORK_DIR:-$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}")
trap 'rm -rf "$work"' EXIT
echo "work folder: $work ($(df -T "$work" | awk 'NR==2 {print $2}'))"
./target/release/examples/generate kubernetes "$objects" "$work/k8s"
stack="$work/k8s/stack"
echo "stack: $(ls "$stack" | wc -l) files, $(cat "$stack"/*.yaml | grep -c '^kind:') objects, $(du -sh "$stack" | cut -f1)"

endpoint="rediss://master.bench.abc123.use1.cache.amazonaws.com:6380/2"

# The kustomize overlay: the stack's files as resources, four patches.
mkdir "$work/overlay"
{
  echo "resources:"
  for f in "$stack"/*.yaml; do echo "  - $f"; done
  cat <<EOF
patches:
  - target: {kind: StatefulSet, labelSelector: "app.kubernetes.io/name=redis"}
    patch: |-
      \$patch: delete
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: redis-master
  - target: {kind: Service, name: "redis-.*"}
    patch: |-
      \$patch: delete
      apiVersion: v1
      kind: Service
      metadata:
        name: redis-master
  - target: {kind: Secret, name: "redis"}
    patch: |-
      \$patch: delete
      apiVersion: v1
      kind: Secret
      metadata:
        name: redis
  - target: {kind: Deployment}
    patch: |-
      - op: add
        path: /spec/template/spec/containers/0/env/-
        value: {name: REDIS_URL, value: "$endpoint"}
EOF
} >"$work/overlay/kustomization.yaml"

# The same as one jq program over every document.
filter='select((.kind == "StatefulSet" and .metadata.labels["app.kubernetes.io/name"] == "redis")
  or (.kind == "Service" and (.metadata.name | startswith("redis-")))
  or (.kind == "Secret" and .metadata.name == "redis") | not)
  | if .kind == "Deployment"
    then .spec.template.spec.containers[0].env += [{"name": "REDIS_URL", "value": "'"$endpoint"'"}]
    else . end'
printf '%s\n' "$filter" >"$work/filter.jq"

graft="$PWD/target/release/graft apply $stack --rules $PWD/rules --bindings $work/k8s/bindings.yaml --out $work/graft-out --quiet >/dev/null"
kustomize="kubectl kustomize --load-restrictor LoadRestrictionsNone $work/overlay >$work/kustomize.yaml"
yq="yq -y -f $work/filter.jq $stack/*.yaml >$work/yq.yaml"

# Each tool's output is checked once, so that none is timed doing nothing.
eval "$graft"
eval "$kustomize"
eval "$yq"
for out in "$work/kustomize.yaml" "$work/yq.yaml"; do
  if grep -q "kind: StatefulSet" "$out" || ! grep -q REDIS_URL "$out"; then
    echo "error: $out does not hold the substitution" >&2
    exit 1
  fi
done
test -f "$work/graft-out/HANDOFF.md"

kustomize_runs=$runs
if ((objects > 2000)); then kustomize_runs=1; fi
hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$work/fast.json" \
  -n graft "$graft" -n yq "$yq"
hyperfine --style basic --runs "$kustomize_runs" --export-json "$work/kustomize.json" \
  -n kustomize "$kustomize"

python3 - "$work/fast.json" "$work/kustomize.json" <<'EOF'
import json, sys
means = {}
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        means[r["command"]] = r["mean"]
g = means["graft"]
print()
print("| tool | mean | graft is faster by |")
print("|---|---|---|")
for name in ["graft", "yq", "kustomize"]:
    print(f"| {name} | {means[name]:.3f} s | {means[name] / g:.0f}x |")
EOF
