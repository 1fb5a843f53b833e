#!/usr/bin/env python3
"""Cold start and warm invocation latency of the C Lambda function
(examples/lambda/, build/lambda/bootstrap) and of the same handler in
Python (tests/bench/lambda_python_handler.py: boto3 + PyMySQL), each run
the same way: a Runtime API stand-in on 127.0.0.1
(tests/helpers/lambda_runtime_api.py) and the MariaDB RDS emulator with a
temporary key and session token.

  cold start: from spawning the process (one invocation already queued) to
              the stand-in receiving its response; includes the runtime's
              init, the token, the TLS login and the query
  warm:       from queueing an invocation to receiving its response, the
              connection already open (query, JSON)
  in function: of a warm invocation, the part between the stand-in handing
              it out (GET .../next answered) and receiving the response:
              what Lambda would bill, without the stand-in's own overhead
  CPU:        CPU time the function's process used (all its threads, from
              /proc/PID/task/*/schedstat): up to its first response (cold),
              and per warm invocation. Unlike the times above it does not
              grow when other programs load the machine; the database
              server's share is not in it

Usage: lambda_bench.py BOOTSTRAP [--cold N] [--warm N]
Run by `make bench-lambda`. It measures; it asserts nothing about time.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "helpers"))
from lambda_runtime_api import RuntimeAPI  # noqa: E402

EMU = os.path.join(ROOT, "examples", "rds-emulator", "rds-emulator")


def emulator_env(d):
    env = {}
    with open(os.path.join(d, "env")) as f:
        for line in f:
            if line.startswith("export "):
                k, v = line[len("export "):].strip().split("=", 1)
                env[k] = v.strip("'")
    return env


def cpu_ms(pid):
    """CPU time used so far by all threads of pid, in ms."""
    total = 0
    for t in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/schedstat" % (pid, t)) as f:
            total += int(f.read().split()[0])
    return total / 1e6


def run(name, cmd, env, cold, warm):
    """Cold-start times (ms) of `cold` fresh processes, and the warm
    latencies (ms) of `warm` invocations on the last one."""
    colds, warms, inside, cpu_cold, cpu_warm = [], [], [], [], 0.0
    for i in range(cold):
        api = RuntimeAPI().start()
        penv = dict(env, AWS_LAMBDA_RUNTIME_API="127.0.0.1:%d" % api.port)
        rid = api.enqueue()
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, env=penv, stderr=subprocess.DEVNULL)
        r = api.wait(rid)
        colds.append((time.perf_counter() - t0) * 1000)
        cpu_cold.append(cpu_ms(p.pid))
        if r["kind"] != "response":
            p.kill()
            sys.exit("%s: first invocation failed: %s" % (name, r))
        if i == cold - 1:
            api.invoke()  # one untimed invocation settles the warm path
            c0 = cpu_ms(p.pid)
            for _ in range(warm):
                t = time.perf_counter()
                r = api.invoke()
                warms.append((time.perf_counter() - t) * 1000)
                inside.append(r.get("handler_ms", 0.0))
                if r["kind"] != "response":
                    sys.exit("%s: warm invocation failed: %s" % (name, r))
            cpu_warm = (cpu_ms(p.pid) - c0) / warm
        p.terminate()
        p.wait()
        api.stop()
    return colds, warms, inside, cpu_cold, cpu_warm


def quantile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bootstrap")
    ap.add_argument("--cold", type=int, default=20)
    ap.add_argument("--warm", type=int, default=500)
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="rdsiam-lambda-bench.")
    d = os.path.join(tmp, "emu")
    subprocess.run(["sh", EMU, "start", d, "--engine", "mariadb", "--session-token"],
                   check=True, stdout=subprocess.DEVNULL, env=dict(os.environ, EMU_QUIET="1"))
    try:
        home = os.path.join(tmp, "home")
        os.mkdir(home)
        env = {"PATH": os.environ["PATH"], "HOME": home, "AWS_EC2_METADATA_DISABLED": "true"}
        env.update(emulator_env(d))
        impls = [("C (librdsiam)", [os.path.abspath(a.bootstrap)]),
                 ("Python (boto3 + PyMySQL)",
                  [sys.executable, os.path.join(HERE, "lambda_python_handler.py")])]
        results = {}
        for name, cmd in impls:
            results[name] = run(name, cmd, env, a.cold, a.warm)
        m = statistics.median
        print("Lambda function, %d cold starts and %d warm invocations each (ms)" % (a.cold, a.warm))
        print("%-26s %9s %9s %9s %9s %9s %9s %9s" % (
            "", "cold med", "cold p90", "cold CPU", "warm med", "warm p90", "in func", "warm CPU"))
        for name, (c, w, i, cc, cw) in results.items():
            print("%-26s %9.1f %9.1f %9.1f %9.2f %9.2f %9.2f %9.3f" % (
                name, m(c), quantile(c, 0.9), m(cc), m(w), quantile(w, 0.9), m(i), cw))
        (c1, w1, i1, cc1, cw1), (c2, w2, i2, cc2, cw2) = results.values()
        print("Python / C: cold start %.0fx (CPU %.0fx), warm invocation %.1fx, "
              "in function %.1fx (CPU %.1fx)" % (
                  m(c2) / m(c1), m(cc2) / m(cc1), m(w2) / m(w1), m(i2) / m(i1), cw2 / cw1))
    finally:
        subprocess.run(["sh", EMU, "stop", d], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
