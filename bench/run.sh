#!/usr/bin/env bash
# Benchmarks Satchel side by side with mbsync and OfflineIMAP on the shared harness
# (../shared/bench/peers.sh: private Dovecot, deterministic corpus, verification of both sides).
# Usage: bench/run.sh            (N=10000, REPS=3, data on tmpfs)
#        N=2000 REPS=1 TOOLS="satchel-mc3 mbsync" bench/run.sh
#        BENCH_DIR=/var/tmp/satchel-bench bench/run.sh   (a real disk: fsync costs count)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
harness=${HARNESS:-$here/../shared/bench}
[[ -x "$harness/peers.sh" ]] || { echo "bench: harness not found at $harness (set HARNESS)" >&2; exit 2; }
[[ -f "$here/dist/core/cli/main.js" ]] || (cd "$here" && npm run build)
export SATCHEL_BIN="$here/bin/satchel"
export N=${N:-10000} REPS=${REPS:-3}
export TOOLS=${TOOLS:-"satchel-mc3 satchel-mc1 mbsync offlineimap-mc1"}
export BENCH_DIR=${BENCH_DIR:-/dev/shm/imapbench}
export RES=${RES:-$here/bench/results/n$N-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RES"
cd "$harness"
./peers.sh
echo "results: $RES/summary.md"
