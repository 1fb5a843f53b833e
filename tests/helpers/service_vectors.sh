# tests/helpers/service_vectors.sh - sourced by the check scripts that run
# rdsiam-token on the ElastiCache, MemoryDB and MSK known answers
# (check-cli.sh, check-cli-output.sh).
#
# sv_load DIR: read tests/vectors/service-tokens/botocore-derived.json
# (made with botocore 1.43.11; see its SOURCE.md) once, into one file per
# field of each vector under DIR (a folder of the caller's, made here).
# sv INDEX FIELD: then print that field of vector INDEX, "" for null or
# absent.
# Run from the repository root.
#
# SPDX-License-Identifier: MIT
SV=tests/vectors/service-tokens/botocore-derived.json
sv_load() {
    SV_DIR=$1
    mkdir -p "$SV_DIR" && python3 -c 'import json, os, sys
for i, v in enumerate(json.load(open(sys.argv[1]))):
    for k, x in v.items():
        with open(os.path.join(sys.argv[2], "%d.%s" % (i, k)), "w") as f:
            f.write(("" if x is None else str(x)) + "\n")' "$SV" "$SV_DIR"
}
sv() {
    if [ -f "$SV_DIR/$1.$2" ]; then cat "$SV_DIR/$1.$2"; else echo; fi
}
