#!/usr/bin/env python3
"""Fail when scan-build found anything not listed as known.

Usage: analyze-check.py KNOWN_FILE REPORT_DIR

KNOWN_FILE lines: FILE FUNCTION CHECK-NAME  # reason (blank lines and
'#' lines are comments). A report matches an entry when its file, the
function it is in and its checker are the same; line numbers are left out
so that an entry survives unrelated edits. An entry that matches nothing
is reported too, so the list does not outlive the code it excuses.
"""
import glob
import os
import plistlib
import sys


def known_entries(path):
    out = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            text = line.split("#", 1)[0].split()
            if not text:
                continue
            if len(text) != 3 or "#" not in line:
                sys.exit("%s:%d: want FILE FUNCTION CHECK  # reason" % (path, n))
            out.append(tuple(text))
    return out


def reports(root):
    for p in glob.glob(os.path.join(root, "**", "*.plist"), recursive=True):
        with open(p, "rb") as f:
            data = plistlib.load(f)
        files = data.get("files", [])
        for d in data.get("diagnostics", []):
            loc = d.get("location", {})
            name = files[loc.get("file", 0)] if files else "?"
            yield (os.path.relpath(name), d.get("issue_context", "?"),
                   d.get("check_name", "?"), loc.get("line", 0),
                   d.get("description", ""))


def main():
    known = known_entries(sys.argv[1])
    used = set()
    bad = 0
    for f, func, check, line, desc in reports(sys.argv[2]):
        key = (f, func, check)
        if key in known:
            used.add(key)
            print("known: %s:%d (%s) %s: %s" % (f, line, func, check, desc))
            continue
        bad += 1
        print("REPORT: %s:%d (%s) %s: %s" % (f, line, func, check, desc))
    for k in known:
        if k not in used:
            bad += 1
            print("STALE: %s %s %s matches no report: remove it" % k)
    print("check-analyze: %d unexplained report(s)" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
