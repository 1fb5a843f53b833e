#!/bin/sh
# tests/check-cli.sh - rdsiam-token end to end: exit statuses, messages,
# --profile with temporary files, tokens against the known answers in
# tests/vectors/rds-token/known-answers.json, and no secret on stderr.
#
# Run from the repository root with B (build dir) set.
set -u
B=${B:-build}
TOOL=$B/bin/rdsiam-token
KAT=tests/vectors/rds-token/known-answers.json

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

n=0
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; }
check() { # check DESCRIPTION COMMAND...: pass when the command succeeds
    d=$1; shift
    if "$@"; then ok "$d"; else notok "$d"; fi
}

# Every run starts from an empty environment: nothing of the developer's
# own AWS setup can leak in, and no network source is configured.
run() { # run EXPECTED_STATUS VAR=VALUE... -- ARGS...
    want=$1; shift
    set -- env -i PATH="$PATH" HOME="$tmp/home" \
        AWS_EC2_METADATA_DISABLED=true "$@"
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    [ "$got" -eq "$want" ] || {
        echo "# exit $got, wanted $want: $*" >&2
        sed 's/^/# stderr: /' "$tmp/err" >&2
        return 1
    }
}
err_has() { grep -qF -- "$1" "$tmp/err"; }
err_lines() { [ "$(wc -l <"$tmp/err")" -eq "$1" ]; }
out_empty() { [ ! -s "$tmp/out" ]; }

if [ ! -x "$TOOL" ]; then
    notok "rdsiam-token is built ($TOOL)"
    exit 1
fi
mkdir -p "$tmp/home"

H="--hostname db.example.com --port 5432 --username alice"

# --- help and version ------------------------------------------------------
check "--help exits 0 and documents --profile" \
    sh -c "'$TOOL' --help | grep -q -- '--profile NAME'"
check "--version prints the version" \
    sh -c "'$TOOL' --version | grep -q '^rdsiam-token [0-9]*\.[0-9]*\.[0-9]*$'"

# --- usage errors: exit 2, nothing on stdout -------------------------------
usage() { # usage DESCRIPTION MESSAGE ARGS...
    d=$1; m=$2; shift 2
    if run 2 "$TOOL" "$@" && out_empty && err_has "$m" &&
        err_has "Try 'rdsiam-token --help'."; then
        ok "usage error: $d"
    else
        notok "usage error: $d"
    fi
}
usage "no arguments" "--hostname is required"
usage "missing --port" "--port is required" --hostname h --username u
usage "missing --username" "--username is required" --hostname h --port 1
usage "port 0" "--port must be a number from 1 to 65535" \
    --hostname h --port 0 --username u
usage "port 65536" "--port must be a number from 1 to 65535" \
    --hostname h --port 65536 --username u
usage "port not a number" "--port must be a number from 1 to 65535" \
    --hostname h --port 54x --username u
usage "unknown option" "unknown option or missing value: '--bogus'" \
    --bogus $H
usage "stray argument" "unexpected argument 'extra'" $H extra
# Ports are decimal digits only (issue 11 item 6): strtol alone took these.
for p in " 5" "+5" "5x" "0x10" "-0" "" "5 " "99999999999999999999"; do
    usage "port '$p'" "--port must be a number from 1 to 65535" \
        --hostname h --port "$p" --username u
done
# An echoed argument has its control characters escaped (item 5): an OSC
# title sequence and a newline come out as \xNN on one line.
esc=$(printf 'abc\033]0;TITLE\007\nX')
if run 2 "$TOOL" "--secret=$esc" $H && out_empty &&
    err_has "unknown option or missing value: '--secret=abc\x1B]0;TITLE\x07\x0AX'" &&
    err_lines 2 && ! grep -q "$(printf '\033')" "$tmp/err"; then
    ok "usage error: control characters in an argument are escaped"
else
    notok "usage error: control characters in an argument are escaped"
fi
usage "bad signing time" "--signing-time must look like" \
    $H --signing-time yesterday
usage "empty profile" "--profile must not be empty" $H --profile ""
usage "--profile without a value" "missing value" $H --profile

# --- missing credentials or region: exit 1, one line naming what ----------
# One source per line, in the chain's order (rdsiam_provider_explain), each
# with the reason the library's no-credentials error gives for it.
nf="profile default not found in $tmp/home/.aws/config, $tmp/home/.aws/credentials"
cat >"$tmp/want" <<EOF
rdsiam-token: no credentials found; looked in:
rdsiam-token:   environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set
rdsiam-token:   assume role: $nf
rdsiam-token:   web identity: no token file (AWS_WEB_IDENTITY_TOKEN_FILE, web_identity_token_file)
rdsiam-token:   sso: $nf
rdsiam-token:   shared credentials file: $nf
rdsiam-token:   login: $nf
rdsiam-token:   credential_process: $nf
rdsiam-token:   config file: $nf
rdsiam-token:   container: no environment variables were set to configure ECS provider (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, AWS_CONTAINER_CREDENTIALS_FULL_URI)
rdsiam-token:   instance metadata: disabled by AWS_EC2_METADATA_DISABLED=true
EOF
if run 1 "$TOOL" $H --region us-east-1 && out_empty &&
    cmp -s "$tmp/want" "$tmp/err"; then
    ok "no credentials: exit 1, one line per source it looked in"
else
    diff "$tmp/want" "$tmp/err" | sed 's/^/# /'
    notok "no credentials: exit 1, one line per source it looked in"
fi
if run 1 AWS_ACCESS_KEY_ID=AKIDEXAMPLE "$TOOL" $H --region us-east-1 &&
    out_empty && err_lines 1 &&
    err_has "AWS_SECRET_ACCESS_KEY is not set (AWS_ACCESS_KEY_ID is)"; then
    ok "key id without secret: exit 1 naming AWS_SECRET_ACCESS_KEY"
else
    notok "key id without secret: exit 1 naming AWS_SECRET_ACCESS_KEY"
fi
if run 1 AWS_SECRET_ACCESS_KEY=TOPSECRETVALUE1 "$TOOL" $H --region us-east-1 &&
    err_has "AWS_ACCESS_KEY_ID is not set (AWS_SECRET_ACCESS_KEY is)" &&
    ! grep -q TOPSECRETVALUE1 "$tmp/err"; then
    ok "secret without key id: exit 1 naming AWS_ACCESS_KEY_ID, secret not shown"
else
    notok "secret without key id: exit 1 naming AWS_ACCESS_KEY_ID, secret not shown"
fi
if run 1 AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=s "$TOOL" $H &&
    out_empty && err_lines 1 && err_has "rdsiam-token: no region"; then
    ok "no region: exit 1"
else
    notok "no region: exit 1"
fi
if run 1 AWS_REGION=Us-East-1 AWS_ACCESS_KEY_ID=AKIDEXAMPLE \
    AWS_SECRET_ACCESS_KEY=s "$TOOL" $H && err_lines 1 &&
    err_has "AWS_REGION: region has a character outside [a-z0-9-]"; then
    ok "bad AWS_REGION: exit 1 naming the variable"
else
    notok "bad AWS_REGION: exit 1 naming the variable"
fi
if run 1 AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=s \
    AWS_CREDENTIAL_EXPIRATION=soon "$TOOL" $H --region us-east-1 &&
    err_has "AWS_CREDENTIAL_EXPIRATION is not a time"; then
    ok "bad AWS_CREDENTIAL_EXPIRATION: exit 1 naming the variable"
else
    notok "bad AWS_CREDENTIAL_EXPIRATION: exit 1 naming the variable"
fi

# --- no secret on stderr ----------------------------------------------------
leak=0
for pair in "TOPSECRETVALUE2 with space|tok" "TOPSECRETVALUE2|bad token TOPSECRETVALUE3"; do
    sec=${pair%%|*}; st=${pair#*|}
    run 1 AWS_ACCESS_KEY_ID=AKIDEXAMPLE "AWS_SECRET_ACCESS_KEY=$sec" \
        "AWS_SESSION_TOKEN=$st" "$TOOL" $H --region us-east-1 || leak=1
    grep -q TOPSECRETVALUE "$tmp/err" && leak=1
    err_lines 1 || leak=1
done
run 1 AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=TOPSECRETVALUE4 \
    "$TOOL" --hostname "db example" --port 1 --username u --region us-east-1 ||
    leak=1
grep -q TOPSECRETVALUE "$tmp/err" && leak=1
if [ $leak -eq 0 ]; then ok "bad credentials and inputs: no secret on stderr"
else notok "bad credentials and inputs: no secret on stderr"; fi

# --- known answers ----------------------------------------------------------
# Each vector of known-answers.json signed by the tool at its time with its
# keys from the environment. botocore_output (botocore 1.43.11's literal
# output, whose parameter order the tool follows) is compared byte for byte
# when present; otherwise host, path and the parameter multiset are (other
# SDKs order the parameters differently; the server does not care, see
# tests/vectors/rds-token/SOURCE.md).
if ! command -v python3 >/dev/null 2>&1; then
    ok "known answers # SKIP python3 not available"
elif [ ! -f "$KAT" ]; then
    notok "known answers: $KAT exists"
else
    python3 - "$KAT" "$TOOL" "$tmp/home" <<'EOF'
import json, os, re, subprocess, sys
from urllib.parse import parse_qsl, urlsplit
kat, tool, home = sys.argv[1:4]
def params(tok):
    u = urlsplit("//" + tok)
    return (u.netloc, u.path, sorted(parse_qsl(u.query, keep_blank_values=True)))
for i, v in enumerate(json.load(open(kat))):
    if v["time"] == "19700101T000000Z":
        # --signing-time must be after the epoch: 0 means "now"
        print("ok - known answer %d # SKIP signed at the epoch itself" % i)
        continue
    if not (16 <= len(v["access_key_id"]) <= 128 and
            all(c.isdigit() or "A" <= c <= "Z" for c in v["access_key_id"])):
        # The library reads key ids from outside only in their documented
        # form ([A-Z0-9], 16 to 128); such vectors are signed by the unit
        # tests with explicit credentials. Here: refused, saying why.
        r = subprocess.run([tool, "--hostname", v["hostname"], "--port",
                            str(v["port"]), "--username", v["username"],
                            "--region", v["region"]],
                           env={"PATH": os.environ["PATH"], "HOME": home,
                                "AWS_EC2_METADATA_DISABLED": "true",
                                "AWS_ACCESS_KEY_ID": v["access_key_id"],
                                "AWS_SECRET_ACCESS_KEY": "s"},
                           capture_output=True, text=True, timeout=30)
        good = (r.returncode == 1 and r.stdout == "" and r.stderr ==
                "rdsiam-token: environment: the access key id is not 16 to "
                "128 characters A-Z and 0-9\n")
        print("%s - known answer %d: key id refused from the environment "
              "(signed by test_token instead)" % ("ok" if good else "not ok", i))
        continue
    env = {"PATH": os.environ["PATH"], "HOME": home,
           "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_ACCESS_KEY_ID": v["access_key_id"],
           "AWS_SECRET_ACCESS_KEY": v["secret_access_key"]}
    if v.get("session_token"):
        env["AWS_SESSION_TOKEN"] = v["session_token"]
    r = subprocess.run([tool, "--hostname", v["hostname"], "--port",
                        str(v["port"]), "--username", v["username"],
                        "--region", v["region"], "--signing-time", v["time"]],
                       env=env, capture_output=True, text=True, timeout=30)
    got = r.stdout.rstrip("\n")
    if "botocore_output" in v:
        good, how = got == v["botocore_output"], "botocore_output"
    else:
        good, how = params(got) == params(v["expected"]), "parameters"
    # A vector signed for another region than its RDS host name's: signed
    # all the same, with the tool's warning.
    m = re.match(r".*\.([a-z0-9-]+)\.rds\.amazonaws\.com$", v["hostname"])
    warn = ""
    if m and m.group(1) != v["region"]:
        warn = ("rdsiam-token: warning: the host name %s is in %s, but the "
                "token is signed for %s: the database will refuse it\n"
                % (v["hostname"], m.group(1), v["region"]))
        how += ", region warning"
    good = good and r.returncode == 0 and r.stderr == warn
    print("%s - known answer %d (%s, %s)" % ("ok" if good else "not ok", i,
                                              v["source"].split(":")[0], how))
EOF
fi

# --- --profile with temporary files ----------------------------------------
# The inputs of the first known answer (botocore test_signers.py, skid,
# us-east-1, 20161107T173933Z) with a key id of the documented form,
# AKIDEXAMPLE00000, kept in a profile; the environment holds other keys,
# which an explicit profile must ignore. Expected value from
# tests/crosscheck/botocore_token.py AKIDEXAMPLE00000 skid
# prod-instance.us-east-1.rds.amazonaws.com 3306 someusername us-east-1
# 1478540373 (botocore 1.43).
KAT1="prod-instance.us-east-1.rds.amazonaws.com:3306/?Action=connect&DBUser=someusername&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE00000%2F20161107%2Fus-east-1%2Frds-db%2Faws4_request&X-Amz-Date=20161107T173933Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=4868c1852e0f96b43156c0ba2098a730088b7b4ba4fe5cdb9aeca70b0965196b"
K1="--hostname prod-instance.us-east-1.rds.amazonaws.com --port 3306 --username someusername --signing-time 20161107T173933Z"
cat >"$tmp/config" <<'EOF'
[default]
region = eu-west-1

[profile kat]
region = us-east-1
EOF
cat >"$tmp/credentials" <<'EOF'
[kat]
aws_access_key_id = AKIDEXAMPLE00000
aws_secret_access_key = skid

[default]
aws_access_key_id = AKIDDEFAULT00000
aws_secret_access_key = defaultsecret
EOF
F="AWS_CONFIG_FILE=$tmp/config AWS_SHARED_CREDENTIALS_FILE=$tmp/credentials"

if run 0 $F AWS_ACCESS_KEY_ID=AKIDENV000000000 AWS_SECRET_ACCESS_KEY=envsecret \
    "$TOOL" $K1 --profile kat && [ "$(cat "$tmp/out")" = "$KAT1" ] &&
    [ ! -s "$tmp/err" ]; then
    ok "--profile: that profile's keys and region, environment keys ignored"
else
    notok "--profile: that profile's keys and region, environment keys ignored"
fi
if run 0 $F AWS_PROFILE=kat "$TOOL" $K1 &&
    [ "$(cat "$tmp/out")" = "$KAT1" ]; then
    ok "AWS_PROFILE selects the profile when the environment has no keys"
else
    notok "AWS_PROFILE selects the profile when the environment has no keys"
fi
if run 0 $F AWS_PROFILE=kat AWS_ACCESS_KEY_ID=AKIDENV000000000 \
    AWS_SECRET_ACCESS_KEY=envsecret "$TOOL" $K1 &&
    grep -q "X-Amz-Credential=AKIDENV000000000%2F20161107%2Fus-east-1%2F" "$tmp/out"; then
    ok "AWS_PROFILE does not beat environment keys (region still from it)"
else
    notok "AWS_PROFILE does not beat environment keys (region still from it)"
fi
if run 0 $F "$TOOL" $K1 &&
    grep -q "X-Amz-Credential=AKIDDEFAULT00000%2F20161107%2Feu-west-1%2F" "$tmp/out"; then
    ok "no profile named: the default profile's keys and region"
else
    notok "no profile named: the default profile's keys and region"
fi
if run 0 $F AWS_DEFAULT_REGION=ap-south-1 "$TOOL" $K1 --profile kat &&
    grep -q "%2Fap-south-1%2Frds-db%2F" "$tmp/out"; then
    ok "--profile: AWS_DEFAULT_REGION still beats the profile's region"
else
    notok "--profile: AWS_DEFAULT_REGION still beats the profile's region"
fi
# Without a region either: the missing profile is the mistake named.
if run 1 $F "$TOOL" $K1 --profile nosuch && out_empty && err_lines 1 &&
    [ "$(cat "$tmp/err")" = "rdsiam-token: profile nosuch not found in the shared config and credentials files" ]; then
    ok "--profile naming a missing profile, no region: exit 1 naming the profile"
else
    notok "--profile naming a missing profile, no region: exit 1 naming the profile"
fi
if run 1 $F "$TOOL" $K1 --region us-east-1 --profile nosuch && out_empty && err_lines 1 &&
    err_has "nosuch"; then
    ok "--profile naming a missing profile: exit 1 naming it"
else
    notok "--profile naming a missing profile: exit 1 naming it"
fi

# --- --elasticache, --memorydb, --msk ------------------------------------
# Known answers: tests/vectors/service-tokens/botocore-derived.json (made
# with botocore 1.43.11; see its SOURCE.md), through the default chain.
. tests/helpers/service_vectors.sh # sv_load DIR, sv INDEX FIELD
sv_load "$tmp/sv"
svtime() { # "20231114T221320Z" as --signing-time takes it
    sv "$1" time
}
service_kat() { # service_kat DESCRIPTION INDEX TOOL-ARGS...
    d=$1 i=$2; shift 2
    tok=$(sv "$i" session_token)
    if run 0 AWS_ACCESS_KEY_ID="$(sv "$i" access_key_id)" \
        AWS_SECRET_ACCESS_KEY="$(sv "$i" secret_access_key)" \
        ${tok:+AWS_SESSION_TOKEN="$tok"} AWS_REGION="$(sv "$i" region)" \
        "$TOOL" "$@" --signing-time "$(svtime "$i")" &&
        [ "$(cat "$tmp/out")" = "$(sv "$i" expected)" ] && [ ! -s "$tmp/err" ]; then
        ok "$d: botocore's token"
    else
        notok "$d: botocore's token"
    fi
}
service_kat "--elasticache (vector 0)" 0 --elasticache "$(sv 0 name)" --username "$(sv 0 username)"
service_kat "--elasticache --serverless with a session token (vector 1)" 1 \
    --elasticache "$(sv 1 name)" --username "$(sv 1 username)" --serverless
service_kat "--memorydb with a session token (vector 4)" 4 \
    --memorydb "$(sv 4 name)" --username "$(sv 4 username)"
service_kat "--msk --user-agent (vector 5)" 5 --msk --user-agent "$(sv 5 user_agent)"
service_kat "--msk --serverless with a session token (vector 6)" 6 \
    --msk --serverless --user-agent "$(sv 6 user_agent)"
usage "--elasticache with --msk" "--elasticache, --memorydb and --msk exclude each other" \
    --elasticache c --username u --msk
usage "--elasticache with --hostname" "--hostname and --port are for RDS tokens" \
    --elasticache c --username u --hostname h
usage "--memorydb without --username" "--username is required" --memorydb c
usage "--msk with --username" "--username is not for --msk" --msk --username u
usage "--serverless for --memorydb" "--serverless is for --elasticache and --msk" \
    --memorydb c --username u --serverless
usage "--user-agent for RDS" "--user-agent is for --msk" $H --user-agent x
# With the file-writing modes: a service token is one token, raw or json.
for f in pgpass pgbouncer mycnf; do
    usage "--msk --format $f" \
        "--format must be raw or json for an ElastiCache, MemoryDB or MSK token (pgpass, pgbouncer and mycnf are database files): '$f'" \
        --msk --format $f --output "$tmp/never"
done
usage "--elasticache --format mycnf" "--format must be raw or json" \
    --elasticache c --username u --format mycnf
usage "--memorydb --dbname" "--dbname is for RDS and Aurora DSQL tokens" \
    --memorydb c --username u --dbname d
usage "--msk --dsql" "--dsql is for Aurora DSQL tokens: leave out --elasticache, --memorydb and --msk" \
    --msk --dsql
usage "--elasticache --config" \
    "--config lists databases: --elasticache, --memorydb and --msk are given on the command line alone" \
    --elasticache c --username u --config "$tmp/never"
usage "--msk --every without --output" "--every and --then need --output FILE" \
    --msk --every 10
check "nothing was written for a usage error" test ! -e "$tmp/never"
if run 1 AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=s AWS_REGION=us-east-1 \
    "$TOOL" --elasticache my.cache --username u && out_empty && err_lines 1 &&
    err_has "cache name has a character other than a letter, a digit or '-'"; then
    ok "--elasticache with a bad name: exit 1 naming the cache name"
else
    notok "--elasticache with a bad name: exit 1 naming the cache name"
fi
# The chain's message as for an RDS token: one source per line ($tmp/want,
# written above for the same empty environment).
if run 1 AWS_REGION=us-east-1 "$TOOL" --msk && out_empty &&
    cmp -s "$tmp/want" "$tmp/err"; then
    ok "--msk without credentials: exit 1, the chain's message"
else
    diff "$tmp/want" "$tmp/err" | sed 's/^/# /'
    notok "--msk without credentials: exit 1, the chain's message"
fi
# Inputs are checked before any credential source runs: without
# credentials too, the message names the input.
input_first() { # input_first DESCRIPTION MESSAGE ARGS...
    d=$1 m=$2; shift 2
    if run 1 AWS_REGION=us-east-1 "$TOOL" "$@" && out_empty && err_lines 1 &&
        err_has "$m" && ! err_has "no credentials"; then
        ok "$d with no credentials: the input named"
    else
        notok "$d with no credentials: the input named"
    fi
}
input_first "--elasticache with a bad name" \
    "cache name has a character other than a letter, a digit or '-'" \
    --elasticache my.cache --username u
input_first "--memorydb with a bad region" \
    "region has a character outside [a-z0-9-]" \
    --memorydb c --username u --region US-EAST-1
input_first "--msk with a tab in --user-agent" \
    "user_agent has a byte that is not printable ASCII" \
    --msk --user-agent "$(printf 'a\tb')"
