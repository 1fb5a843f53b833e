# tests/helpers/service_vectors.sh - sourced by the check scripts that run
# rdsiam-token on the ElastiCache, MemoryDB and MSK known answers
# (check-cli.sh, check-cli-output.sh).
#
# sv INDEX FIELD: print a field of vector INDEX of
# tests/vectors/service-tokens/botocore-derived.json (made with botocore
# 1.43.11; see its SOURCE.md), "" for null. Run from the repository root.
#
# SPDX-License-Identifier: MIT
SV=tests/vectors/service-tokens/botocore-derived.json
sv() {
    python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))[int(sys.argv[2])].get(sys.argv[3])
print("" if v is None else v)' "$SV" "$1" "$2"
}
