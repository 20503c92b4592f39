#!/usr/bin/env bash
# Runs every benchmark once, in sequence, at the scales docs/performance.md reports, and keeps
# the raw output in target/bench-logs/. Takes about 10 minutes once built and needs about 8 GiB of free
# memory (Cedar's 1 000 000-user directory). Single-threaded benchmarks; run on an idle machine
# if you can.
set -euo pipefail
cd "$(dirname "$0")"
logs=../target/bench-logs
mkdir -p "$logs"
touch "$logs/started"
{ date -u; nproc; grep -m1 'model name' /proc/cpuinfo; rustc --version; uptime; } > "$logs/machine.txt"
cargo bench --bench identity 2>&1 | tee "$logs/identity.log"
cargo bench --bench signing 2>&1 | tee "$logs/signing.log"
SUNDHED_BENCH_FULL=1 cargo bench --bench authorisation 2>&1 | tee "$logs/authorisation.log"
cargo bench --bench replay 2>&1 | tee "$logs/replay.log"
uptime >> "$logs/machine.txt"
python3 summarise.py --newer-than "$logs/started" | tee "$logs/criterion-medians.txt"
grep -h -E '^(authz-report|authz-admin|signing-paired|cpr-disagreements|cvr:|replay-report)' \
  "$logs"/*.log > "$logs/reports.txt"
