#!/usr/bin/env bash
# Moves between folders: Satchel, mbsync and OfflineIMAP resyncing after M messages were moved
# on the server (INBOX -> Archive, UID MOVE by another client) and M files were moved locally
# (INBOX -> Projects, by a mail reader). Uses the shared harness's private Dovecot
# (server.sh) and corpus (corpus.py); reports wall time, CPU, and the bytes the server sent and
# received (Dovecot's per-session `in=… out=…` log lines) plus how many bodies it sent, and
# verifies both sides (verify.py: same messages, flags, no duplicates) and the total count.
# Usage: bench/moves.sh                   (N=6000, M=500, data on /dev/shm/satchel-moves)
#        N=2000 M=200 TOOLS="satchel-mc3 mbsync" bench/moves.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
HERE=${HARNESS:-$here/../shared/bench}
[[ -x "$HERE/server.sh" ]] || { echo "moves: harness not found at $HERE (set HARNESS)" >&2; exit 2; }
[[ -f "$here/dist/core/cli/main.js" ]] || (cd "$here" && npm run build)
export SATCHEL_BIN="$here/bin/satchel"
N=${N:-6000} M=${M:-500} SEED=${SEED:-42} F=${F:-20}
TOOLS=${TOOLS:-"satchel-mc3 mbsync offlineimap-mc1"}
BENCH_DIR=${BENCH_DIR:-/dev/shm/satchel-moves}
export IMAP_PORT=${IMAP_PORT:-14343} IMAPS_PORT=${IMAPS_PORT:-14393}
export IMAP_HOST=127.0.0.1 IMAP_USER=bench IMAP_PASS=bench
RES=${RES:-$here/bench/results/moves-n$N-m$M-$(date +%Y%m%d-%H%M%S)}
SRV=$BENCH_DIR/server CORPUS=$BENCH_DIR/corpus/n$N-f$F-s$SEED WORK=$BENCH_DIR/work
mkdir -p "$RES" "$WORK"
log() { echo "[$(date +%H:%M:%S)] $*"; }
server_start() { "$HERE/server.sh" start "$SRV" >/dev/null; }
server_stop() { "$HERE/server.sh" stop "$SRV" >/dev/null 2>&1 || true; }
trap server_stop EXIT

if [[ ! -d "$CORPUS/bench" ]]; then
  log "corpus: generating N=$N"
  server_start
  mkdir -p "$CORPUS"
  python3 "$HERE/corpus.py" --maildir "$SRV/mail/bench" -n "$N" -f "$F" --seed "$SEED" --force >/dev/null
  doveadm -c "$SRV/dovecot.conf" mailbox status -u bench 'messages' '*' >/dev/null
  server_stop
  cp -a "$SRV/mail/bench" "$CORPUS/bench"
fi
restore_server() {   # as peers.sh: hardlinked message files, real copies of the rest
  server_stop
  rm -rf "$SRV/mail/bench"
  cp -al "$CORPUS/bench" "$SRV/mail/bench"
  find "$SRV/mail/bench" -type f ! -path '*/cur/*' ! -path '*/new/*' -exec sh -c \
    'for f; do cp -p "$f" "$f.bench-tmp" && mv -f "$f.bench-tmp" "$f"; done' sh {} +
  server_start
}
info_log() { cat "$SRV/log/dovecot.info.log" 2>/dev/null || true; }

# Server side: another client moves the first M messages of INBOX to Archive (UID MOVE).
server_moves() {
  python3 - "$M" <<'PY'
import imaplib, os, sys
m = int(sys.argv[1])
c = imaplib.IMAP4(os.environ['IMAP_HOST'], int(os.environ['IMAP_PORT']))
c.login(os.environ['IMAP_USER'], os.environ['IMAP_PASS'])
c.select('INBOX')
uids = c.uid('SEARCH', None, 'ALL')[1][0].split()[:m]
typ, _ = c.uid('MOVE', b','.join(uids).decode(), 'Archive')
assert typ == 'OK', typ
print(f'    server: moved {len(uids)} INBOX -> Archive')
c.logout()
PY
}

# Local side: the M INBOX files with the highest UIDs (the server moved the lowest) go to
# Projects under a fresh Maildir name with the same flags, as a mail reader moving a message
# between folders does (a file name naming the old folder's UID would break mbsync).
local_moves() {
  python3 - "$LOCAL" "$M" <<'PY'
import os, re, sys, time
root, m = sys.argv[1], int(sys.argv[2])
files = []
for sub in ('cur', 'new'):
    d = os.path.join(root, 'INBOX', sub)
    for n in os.listdir(d):
        u = re.search(r',U=(\d+)', n)
        files.append((int(u.group(1)) if u else 0, sub, n))
files.sort(reverse=True)
now = int(time.time())
for i, (_, sub, n) in enumerate(files[:m]):
    info = n[n.index(':'):] if ':' in n else ''
    os.rename(os.path.join(root, 'INBOX', sub, n), os.path.join(root, 'Projects', sub, f'{now}.M{i}P{os.getpid()}.benchhost{info}'))
print(f'    local: moved {min(m, len(files))} INBOX -> Projects')
PY
}

server_total() {
  python3 - <<'PY'
import imaplib, os, re
c = imaplib.IMAP4(os.environ['IMAP_HOST'], int(os.environ['IMAP_PORT']))
c.login(os.environ['IMAP_USER'], os.environ['IMAP_PASS'])
total = 0
for line in c.list()[1]:
    name = re.match(rb'\(.*?\) "." (.*)$', line).group(1).decode()
    if '\\Noselect' in line.decode(): continue
    total += int(re.search(rb'MESSAGES (\d+)', c.status(name, '(MESSAGES)')[1][0]).group(1))
print(total)
c.logout()
PY
}

printf 'tool\twall_s\tuser_s\tsys_s\tmaxrss_kb\tserver_in_bytes\tserver_out_bytes\tbodies_sent\tsessions\tverify\tserver_total\tlocal_total\n' > "$RES/results.tsv"
for tool in $TOOLS; do
  (
    TOOL_VARIANT=""; [[ "$tool" == *-* ]] && TOOL_VARIANT=${tool#*-}
    # shellcheck disable=SC1090
    source "$HERE/tools/${tool%%-*}.sh"
    export RUN="$WORK/$tool" LOCAL="$WORK/$tool/mail"
    rm -rf "$RUN"; mkdir -p "$RUN"
    restore_server
    tool_setup
    log "$tool: initial sync"
    tool_cmd a_full; "${CMD[@]}" >"$RES/$tool.initial.out" 2>&1 </dev/null
    tool_cmd b_noop; "${CMD[@]}" >/dev/null 2>&1 </dev/null
    server_moves
    local_moves
    sleep 1.1   # mbsync waits when a Maildir directory changed within the current second
    before=$(info_log | wc -l)
    log "$tool: resync after the moves"
    tool_cmd moves
    /usr/bin/time -f '%e %U %S %M' -o "$RUN/time" "${CMD[@]}" >"$RES/$tool.moves.out" 2>&1 </dev/null || log "  !! exit $?"
    sleep 0.5
    read -r in out bodies sessions < <(info_log | tail -n +"$((before + 1))" | python3 -c '
import re, sys
i = o = b = s = 0
for line in sys.stdin:
    m = re.search(r"\bin=(\d+) out=(\d+)", line)
    if not m: continue
    s += 1; i += int(m.group(1)); o += int(m.group(2))
    bc = re.search(r"body_count=(\d+)", line); b += int(bc.group(1)) if bc else 0
print(i, o, b, s)')
    read -r wall user sys rss < "$RUN/time"
    if python3 "$HERE/verify.py" --port "$IMAP_PORT" --user bench --password bench --local "$LOCAL" --sep "$TOOL_SEP" \
      --tag "$tool after moves" >"$RES/$tool.verify.txt" 2>&1; then v=PASS; else v=FAIL; fi
    stotal=$(server_total)
    ltotal=$(find "$LOCAL" -type f \( -path '*/cur/*' -o -path '*/new/*' \) | wc -l)
    log "  $tool: ${wall}s wall, in=$in out=$out bodies=$bodies, verify $v, server $stotal / local $ltotal messages"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$wall" "$user" "$sys" "$rss" "$in" "$out" "$bodies" \
      "$sessions" "$v" "$stotal" "$ltotal" >> "$RES/results.tsv"
    rm -rf "$LOCAL"
  )
done
column -t -s $'\t' "$RES/results.tsv" | tee "$RES/summary.txt"
echo "results: $RES"
