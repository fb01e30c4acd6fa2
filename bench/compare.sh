#!/usr/bin/env bash
# Runs the benchmarks with short measurement times and prints, in one run, the ratios the
# performance goals are stated in (docs/performance.md), with pass/fail for each.
#
#   bench/compare.sh                   # warm-up 1 s, measurement 5 s per benchmark
#   WARM_UP=2 MEASURE=10 bench/compare.sh
#   BENCHES=export bench/compare.sh    # only some of the benches (default: decode call export)
#   EXPORT_RUNS=3 bench/compare.sh     # whole exports per side in the export bench (default 5)
#
# Exit status: 0 when every goal is met, 1 when one is missed, 2 when a bench failed.
set -euo pipefail
cd "$(dirname "$0")/.."
WARM_UP="${WARM_UP:-1}"
MEASURE="${MEASURE:-5}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
BENCHES="${BENCHES:-decode call export}"

for bench in $BENCHES; do
  case "$bench" in
    decode | call | export) ;;
    *) echo "unknown bench: $bench (decode, call or export)" >&2; exit 2 ;;
  esac
  # Old results would make a failed run look like a passing one.
  case "$bench" in
    call) rm -rf "$TARGET_DIR/criterion/call" "$TARGET_DIR/criterion/cold_start" ;;
    export) rm -rf "$TARGET_DIR/criterion/export" "$TARGET_DIR/criterion/export_decode" ;;
    *) rm -rf "$TARGET_DIR/criterion/$bench" ;;
  esac
done

for bench in $BENCHES; do
  cargo bench --bench "$bench" -- --warm-up-time "$WARM_UP" --measurement-time "$MEASURE" --noplot \
    || exit 2
done

python3 - "$TARGET_DIR/criterion" $BENCHES <<'PY'
import json, pathlib, sys

root = pathlib.Path(sys.argv[1])
benches = set(sys.argv[2:])

def load(*parts):
    return json.loads(root.joinpath(*parts).read_text())

def est(group, name, stat="median"):
    return load(group, name, "new", "estimates.json")[stat]["point_estimate"]  # nanoseconds

def fmt_ns(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3f} {unit}"
    return f"{ns:.0f} ns"

rows, failed = [], False
def check(name, value, goal, detail):
    global failed
    ok = value <= goal
    failed |= not ok
    rows.append((name, value, goal, "PASS" if ok else "FAIL", detail))

if "decode" in benches:
    # Decode time: crate full decode vs serde_json into String fields (criterion medians).
    dc, db = est("decode", "crate"), est("decode", "baseline")
    check("decode time (crate / baseline)", dc / db, 1.0,
          f"median {fmt_ns(dc)} vs {fmt_ns(db)}")

    # Peak extra memory during the crate's decode, over the body size.
    mem = load("decode", "memory.json")
    body, peak = mem["body_bytes"], mem["crate_peak_extra_bytes"]
    check("decode peak memory (crate / body)", peak / body, 2.0,
          f"{peak / 2**20:.1f} MiB over a {body / 2**20:.1f} MiB body "
          f"(baseline: {mem['baseline_peak_extra_bytes'] / body:.2f}x)")

if "call" in benches:
    # Per call: medians of 2,000 sequential calls each, interleaved in blocks.
    seq = load("call", "sequential.json")
    sc, sb = seq["crate_median_ns"], seq["baseline_median_ns"]
    cc, cb = est("call", "crate"), est("call", "baseline")
    check("per call, median of 2,000 (crate / baseline)", sc / sb, 1.10,
          f"{fmt_ns(sc)} vs {fmt_ns(sb)}; criterion medians {fmt_ns(cc)} vs {fmt_ns(cb)} "
          f"({cc / cb:.3f}x)")

    # Cold start: build() after the first one, in milliseconds.
    build = est("cold_start", "build")
    own = est("cold_start", "build_with_http_client")
    first = load("cold_start", "first.json")["first_build_ns"]
    check("cold start build() after the first (ms)", build / 1e6, 1.0,
          f"median {fmt_ns(build)}; first build {fmt_ns(first)}; "
          f"with http_client(..) passed in {fmt_ns(own)}")

if "export" in benches:
    # Export of 1,000,000 cdr_1 rows, one window per day: time per row, medians of whole
    # exports interleaved with the hand-written baseline.
    t = load("export", "time.json")
    n, ec, eb = t["rows"], t["crate_median_ns"], t["baseline_median_ns"]
    c5, b5 = est("export", "crate_5_days"), est("export", "baseline_5_days")
    dw, bw = est("export_decode", "crate_window"), est("export_decode", "baseline_window")
    check(f"export time per row, median of {t['runs']} (crate / baseline)", ec / eb, 1.2,
          f"{ec / n:.0f} vs {eb / n:.0f} ns/row over {n:,} rows; criterion 5 days "
          f"{c5 / b5:.3f}x; decode of one window alone {dw / bw:.3f}x")

    # Peak extra memory of the whole export over the largest window's body; and it must not
    # grow with the export's length (20 days against 5).
    m = load("export", "memory.json")
    body, peak, short = m["largest_body_bytes"], m["crate_peak_extra_bytes"], m["crate_peak_extra_bytes_short"]
    check(f"export peak memory, {m['days']} days (crate / largest body)", peak / body, 3.0,
          f"{peak / 2**20:.1f} MiB over a {body / 2**20:.1f} MiB body "
          f"(baseline: {m['baseline_peak_extra_bytes'] / body:.2f}x)")
    check(f"export peak, {m['days']} days / {m['short_days']} days", peak / short, 1.10,
          f"{peak / 2**20:.1f} MiB vs {short / 2**20:.1f} MiB: does not grow with the export")

width = max(len(r[0]) for r in rows)
print()
print(f"{'measure'.ljust(width)}  {'value':>8}  {'goal':>6}  result  detail")
for name, value, goal, result, detail in rows:
    print(f"{name.ljust(width)}  {value:8.3f}  {'<= ' + str(goal):>6}  {result:6}  {detail}")
print("\nNoise: single short runs on a shared machine; repeat before trusting a small difference.")
sys.exit(1 if failed else 0)
PY
