#!/usr/bin/env python3
"""The table `make bench` prints: tests/bench/bench.c's figures per
credential shape, instructions per token under callgrind, and the AWS SDKs
on the same inputs in the same run.

    report.py BENCH SECONDS CALLS

BENCH is the benchmark program; SECONDS the time per figure; CALLS the
token count N of the callgrind runs (N and 2N tokens: the difference over N
is the steady-state cost, start-up cancels out). Each SDK column is skipped
with a note when that SDK is absent (`make bench-deps` installs them).
Nothing here asserts: it measures and prints.
"""
import os
import shutil
import subprocess
import sys
import tempfile

BENCH, SECONDS, CALLS = sys.argv[1], sys.argv[2], int(sys.argv[3])
HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.dirname(os.path.abspath(BENCH))
JS_MODULES = os.path.join(BUILD, "js", "node_modules")


def bench_rows():
    out = subprocess.run([BENCH, "--tsv", "--seconds", SECONDS], check=True,
                         capture_output=True, text=True).stdout
    lines = out.strip().split("\n")
    head = lines[0].split("\t")
    return [dict(zip(head, l.split("\t"))) for l in lines[1:]]


def callgrind(shape, provider=False):
    if not shutil.which("valgrind"):
        return None
    totals = []
    with tempfile.TemporaryDirectory() as d:
        for n in (CALLS, 2 * CALLS):
            f = os.path.join(d, f"cg.{n}")
            subprocess.run(["valgrind", "--tool=callgrind",
                            f"--callgrind-out-file={f}", BENCH, "--calls",
                            str(n), "--shape", shape]
                           + (["--provider"] if provider else []),
                           check=True, capture_output=True)
            with open(f) as fh:
                totals.append(next(int(l.split()[1]) for l in fh
                                   if l.startswith("summary:")))
    return (totals[1] - totals[0]) // CALLS


# name, command prefix, how to tell it is there
SDKS = [
    ("botocore", [sys.executable, os.path.join(HERE, "botocore_bench.py")]),
    ("Go v2", [os.path.join(BUILD, "rdsauth_bench")]),
    ("JS v3", ["node", os.path.join(HERE, "js", "signer_bench.js")]),
]


def sdk_rate(cmd, row):
    if not shutil.which(cmd[0]) and not os.path.exists(cmd[0]):
        return None
    env = dict(os.environ, NODE_PATH=JS_MODULES)
    r = subprocess.run(cmd + [row["shape"], row["token_bytes"], SECONDS],
                       capture_output=True, text=True, env=env)
    if r.returncode != 0 or not r.stdout.startswith("tokens/s "):
        return None
    return float(r.stdout.split()[1])


def fmt(v):
    return "n/a" if v is None else f"{v:,.0f}"


def main():
    rows = bench_rows()
    notes = []
    print("| shape | token bytes | SHA-256 blocks | block ns | hash limit/s "
          "| 1 thread | 2 threads | % of limit | instr/token "
          "| provider 1 thread | provider 2 threads | provider instr/token | "
          + " | ".join(n for n, _ in SDKS) + " | allocs/token "
          "| blocks per call | call block ns | % of call limit |")
    print("|" + " --- |" * (16 + len(SDKS)))
    for r in rows:
        d1, d2 = float(r["direct1"]), float(r["direct2"])
        p1, p2 = float(r["provider1"]), float(r["provider2"])
        limit = float(r["limit"])
        ir = callgrind(r["shape"])
        pir = None if p1 == 0 else callgrind(r["shape"], provider=True)
        prov = ("n/a", "n/a") if p1 == 0 else (
            f"{p1:,.0f} ({100 * (p1 / d1 - 1):+.0f}%)",
            f"{p2:,.0f} ({100 * (p2 / d2 - 1):+.0f}%)")
        sdk = []
        for name, cmd in SDKS:
            v = sdk_rate(cmd, r)
            sdk.append(fmt(v) if v is None else f"{v:,.0f} ({d1 / v:,.0f}x)")
        print(f"| {r['shape']} | {r['token_bytes']} | {r['blocks']} "
              f"| {float(r['block_ns']):.1f} | {limit:,.0f} | {d1:,.0f} "
              f"| {d2:,.0f} | {100 * d1 / limit:.0f}% | {fmt(ir)} "
              f"| {prov[0]} | {prov[1]} | {fmt(pir)} | " + " | ".join(sdk)
              + f" | {float(r['allocs']):.3f} | {r['calls']} "
              f"| {float(r['call_block_ns']):.1f} "
              f"| {100 * d1 / float(r['call_limit']):.0f}% |", flush=True)
    if not shutil.which("valgrind"):
        notes.append("instr/token: valgrind is not installed")
    for name, cmd in SDKS:
        if not shutil.which(cmd[0]) and not os.path.exists(cmd[0]):
            notes.append(f"{name}: not installed (make bench-deps)")
    notes.append("% of limit: against the streaming block time (issue 13's "
                 "limit); % of call limit: against the block time of the "
                 "token's own three SHA256_Update calls (blocks per call), "
                 "timed alone")
    notes.append("n/a: no such path (no provider call for DSQL tokens; "
                 "the SDK's signer is absent or has no DSQL signer)")
    for n in notes:
        print(f"note: {n}")


main()
