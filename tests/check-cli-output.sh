#!/bin/sh
# tests/check-cli-output.sh - rdsiam-token writing files for other
# programs: each --format's exact text, --config with several databases,
# Aurora DSQL, --json's expiry and source, --explain, the [dev] hint,
# ElastiCache, MemoryDB and MSK tokens in those modes and the loop; the
# file written atomically with mode 0600 and its owner kept, an unwritable
# folder, a token too long for PgBouncer; and the --every loop: rotations,
# --then, SIGHUP, SIGTERM/SIGINT (also mid-fetch), a reader racing the
# writer, a credential source failing mid-run and recovering.
#
# No server: credentials come from the environment or from a
# credential_process script whose answers the test controls through files.
# Waits are for events (a log line, a file), with a limit only so that a
# bug cannot hang the run. Run from the repository root with B set.
set -u
B=${B:-build}
TOOL=$(pwd)/$B/bin/rdsiam-token

tmp=$(mktemp -d /tmp/rdsiam-cli-output.XXXXXX)
chmod 755 "$tmp"
pids=""
cleanup() {
    for p in $pids; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; }
check() { # check DESCRIPTION COMMAND...
    d=$1; shift
    if "$@"; then ok "$d"; else notok "$d"; fi
}
if [ ! -x "$TOOL" ]; then
    notok "rdsiam-token is built ($TOOL)"
    exit 1
fi
mkdir -p "$tmp/home"

# A clean environment: nothing of the machine's AWS setup, no network
# source; keys from the environment unless a case says otherwise.
E="env -i PATH=$PATH HOME=$tmp/home AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=$tmp/config AWS_SHARED_CREDENTIALS_FILE=$tmp/none"
KEYS="AWS_ACCESS_KEY_ID=AKIDEXAMPLE00000 AWS_SECRET_ACCESS_KEY=skid AWS_REGION=us-east-1"
: >"$tmp/config"

EXTRA=""
run() { # run STATUS ARGS...: the tool with $E $KEYS $EXTRA; out, err in $tmp
    want=$1; shift
    # shellcheck disable=SC2086 # E, KEYS and EXTRA are lists of words
    $E $KEYS $EXTRA "$TOOL" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    [ "$got" -eq "$want" ] || {
        echo "# exit $got, wanted $want: $*"
        sed 's/^/# stderr: /' "$tmp/err"
        return 1
    }
}
same() { # same FILE: FILE equals $tmp/want
    cmp -s "$tmp/want" "$1" || { diff "$tmp/want" "$1" | sed 's/^/# /'; return 1; }
}
mode_of() { stat -c %a "$1"; }

# Known answer: botocore 1.43.11 generate_db_auth_token("db.example.com",
# 5432, "alice", "us-east-1") with AKIDEXAMPLE00000 / skid at
# 2016-11-07T17:39:33Z (tests/crosscheck/botocore_token.py AKIDEXAMPLE00000
# skid db.example.com 5432 alice us-east-1 1478540373).
T1="db.example.com:5432/?Action=connect&DBUser=alice&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE00000%2F20161107%2Fus-east-1%2Frds-db%2Faws4_request&X-Amz-Date=20161107T173933Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=f84b9ac0640016bf589549c1ef87af879fd398c43ac015ea150f2c16b5898eab"
# The same token with each ':' written "\:" (libpq's password file).
T1PG=$(printf '%s' "$T1" | sed 's/:/\\:/g')
A1="--hostname db.example.com --port 5432 --username alice --signing-time 2016-11-07T17:39:33Z"
HEADER="# Written by rdsiam-token, which replaces this file with each new token."

# --- each format, exactly ---------------------------------------------------
printf '%s\n' "$T1" >"$tmp/want"
run 0 $A1 --output "$tmp/f.raw" && check "raw: the token and a newline" same "$tmp/f.raw"
check "raw: mode 0600" test "$(mode_of "$tmp/f.raw")" = 600
check "--output: nothing on stdout or stderr" test ! -s "$tmp/out" -a ! -s "$tmp/err"

printf '%s\n%s\n' "$HEADER" "db.example.com:5432:*:alice:$T1PG" >"$tmp/want"
run 0 $A1 --format pgpass --output "$tmp/f.pgpass" &&
    check "pgpass: host:port:*:user:token with ':' escaped" same "$tmp/f.pgpass"
printf '%s\n%s\n' "$HEADER" "db.example.com:5432:app:alice:$T1PG" >"$tmp/want"
run 0 $A1 --format pgpass --dbname app --output "$tmp/f.pgpass" &&
    check "pgpass: --dbname fills the database field" same "$tmp/f.pgpass"

printf '%s\n%s\n' "$HEADER" "app = host='db.example.com' port=5432 dbname='app' user='alice' password='$T1'" >"$tmp/want"
run 0 $A1 --format pgbouncer --dbname app --output "$tmp/f.pgb" &&
    check "pgbouncer: NAME = host port dbname user password, quoted" same "$tmp/f.pgb"

printf '%s\n[client]\nuser="alice"\npassword="%s"\n' "$HEADER" "$T1" >"$tmp/want"
run 0 $A1 --format mycnf --output "$tmp/f.cnf" &&
    check "mycnf: [client] user and password, double-quoted" same "$tmp/f.cnf"

# json: expires = signing time + 900 (the keys do not expire).
printf '{"token":"%s","expires":"2016-11-07T17:54:33Z","source":"environment"}\n' "$T1" >"$tmp/want"
run 0 $A1 --json && check "--json: token, expires (+900 s), source on stdout" same "$tmp/out"
run 0 $A1 --format json && check "--format json is --json" same "$tmp/out"

# Characters each reader unquotes: a user name with ':', '\', a quote and
# a space. libpq: "\:" "\\"; PgBouncer: '' in '...'; MySQL: \" \\ in "...".
U='o:b\r"i'"'"'en x'
run 0 --hostname db.example.com --port 5432 --username "$U" --dbname app \
    --format pgpass --output "$tmp/q.pgpass" &&
    check "pgpass: ':' and '\\' in a field escaped" \
        grep -q '^db\.example\.com:5432:app:o\\:b\\\\r"i'"'"'en x:' "$tmp/q.pgpass"
run 0 --hostname db.example.com --port 5432 --username "$U" --dbname app \
    --format pgbouncer --output "$tmp/q.pgb" &&
    check "pgbouncer: a quote doubled inside '...'" \
        grep -qF "user='o:b\\r\"i''en x' password='" "$tmp/q.pgb"
run 0 --hostname db.example.com --port 5432 --username "$U" \
    --format mycnf --output "$tmp/q.cnf" &&
    check "mycnf: '\\' and '\"' escaped inside \"...\"" \
        grep -qF 'user="o:b\\r\"i'"'"'en x"' "$tmp/q.cnf"
# A literal "*" is libpq's wildcard unless escaped.
run 0 --hostname db.example.com --port 5432 --username alice --dbname '*x' \
    --format pgpass --output "$tmp/s.pgpass" &&
    check "pgpass: a dbname '*x' is not the wildcard" \
        grep -q '^db\.example\.com:5432:\*x:alice:' "$tmp/s.pgpass"
run 0 --hostname db.example.com --port 5432 --username '*' \
    --format pgpass --output "$tmp/s.pgpass" &&
    check "pgpass: a user named '*' is written \\*" \
        grep -q '^db\.example\.com:5432:\*:\\\*:' "$tmp/s.pgpass"

# --- refusals before anything is written -----------------------------------
refused() { # refused DESCRIPTION MESSAGE STATUS ARGS...
    d=$1 m=$2 st=$3; shift 3
    rm -f "$tmp/never"
    if run "$st" "$@" && grep -qF -- "$m" "$tmp/err" && [ ! -e "$tmp/never" ] &&
        ! grep -q skid "$tmp/err"; then
        ok "$d"
    else
        notok "$d"
    fi
}
refused "pgbouncer without --dbname: usage error" \
    "--format pgbouncer needs --dbname" 2 $A1 --format pgbouncer --output "$tmp/never"
refused "--every without --output: usage error" \
    "--every and --then need --output FILE" 2 $A1 --every 10
refused "--every with --signing-time: usage error" \
    "leave out --signing-time" 2 $A1 --every 10 --output "$tmp/never"
refused "--every 0: usage error" "--every must be a number of seconds" 2 \
    $A1 --every 0 --output "$tmp/never"
refused "--every 2d: usage error" "--every must be a number of seconds" 2 \
    $A1 --every 2d --output "$tmp/never"
refused "--format bogus: usage error" \
    "--format must be raw, pgpass, pgbouncer, mycnf or json: 'bogus'" 2 \
    $A1 --format bogus
refused "--json with --format pgpass: usage error" \
    "--json and --format name two formats" 2 $A1 --json --format pgpass
refused "--action without --dsql: usage error" \
    "--action and --expires-in go with --dsql" 2 $A1 --action DbConnect
refused "a line break in a user name: refused for pgpass" \
    "the user name has a control character, which a pgpass file cannot hold" 1 \
    --hostname db.example.com --port 5432 --username "$(printf 'a\nb')" \
    --format pgpass --output "$tmp/never"
# raw holds the token alone, where the user name is percent-encoded (as
# in botocore's token): a line break in it is fine there.
run 0 --hostname db.example.com --port 5432 --username "$(printf 'a\nb')"
check "a line break in a user name: fine for raw (%0A in the token)" \
    grep -q '&DBUser=a%0Ab&' "$tmp/out"
refused "pgbouncer name with a space: refused" \
    "the name must be letters, digits, '_', '.' and '-'" 1 \
    $A1 --format pgbouncer --dbname "my db" --output "$tmp/never"
refused "pgbouncer name 'pgbouncer': refused (its admin database)" \
    "is PgBouncer's own admin database" 1 \
    $A1 --format pgbouncer --dbname pgbouncer --output "$tmp/never"
check "-h prints the usage" sh -c "'$TOOL' -h | grep -q -- '--every SECONDS'"

# A token longer than the 2047 bytes PgBouncer keeps of a password: a
# session token of 2000 characters makes one. Refused, the file kept.
long=$(head -c 2000 /dev/zero | tr '\0' 'T')
printf 'keep me\n' >"$tmp/f.keep"
chmod 600 "$tmp/f.keep"
EXTRA="AWS_SESSION_TOKEN=$long"
if run 1 $A1 --format pgbouncer --dbname app --output "$tmp/f.keep" &&
    grep -qF "is longer than the 2047 bytes PgBouncer keeps of a password" "$tmp/err" &&
    [ "$(cat "$tmp/f.keep")" = "keep me" ] && ! grep -q TTTT "$tmp/err"; then
    ok "pgbouncer: a token over 2047 bytes refused, the file kept"
else
    notok "pgbouncer: a token over 2047 bytes refused, the file kept"
fi
long=$(head -c 4000 /dev/zero | tr '\0' 'T')
EXTRA="AWS_SESSION_TOKEN=$long"
if run 1 $A1 --format mycnf --output "$tmp/f.keep" &&
    grep -qF "longer than the 4094 bytes MySQL's option-file reader takes" "$tmp/err" &&
    [ "$(cat "$tmp/f.keep")" = "keep me" ]; then
    ok "mycnf: a line over 4094 bytes refused, the file kept"
else
    notok "mycnf: a line over 4094 bytes refused, the file kept"
fi
EXTRA=""

# --- the file: atomic replace, mode, owner, unwritable folder ---------------
printf 'old\n' >"$tmp/f.own"
chmod 644 "$tmp/f.own"
chown nobody:nogroup "$tmp/f.own" 2>/dev/null
run 0 $A1 --output "$tmp/f.own"
check "an existing file: replaced with mode 0600" test "$(mode_of "$tmp/f.own")" = 600
if [ "$(id -u)" -eq 0 ]; then
    check "an existing file: its owner and group kept (as root)" \
        test "$(stat -c %U:%G "$tmp/f.own")" = nobody:nogroup
else
    ok "an existing file: its owner and group kept # SKIP not root"
fi
check "no temporary file is left beside it" \
    test "$(ls -A "$tmp" | grep -c '^\.f\.')" -eq 0
refused "a folder that does not exist: exit 1 naming it" \
    "cannot write $tmp/no/such/f: cannot create a file in $tmp/no/such: No such file or directory" \
    1 $A1 --output "$tmp/no/such/f"
# The checkout may sit where nobody cannot read (a private home, a mode-700
# temporary folder): the cases run as nobody use a world-readable copy of
# the tool, as they would an installed one.
NTOOL=$tmp/pub/rdsiam-token
mkdir -p "$tmp/pub" && cp "$TOOL" "$NTOOL" && chmod -R a+rX "$tmp/pub"
if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null; then
    mkdir -p "$tmp/locked" && chmod 755 "$tmp/locked"
    printf 'good\n' >"$tmp/locked/f" && chmod 644 "$tmp/locked/f"
    if runuser -u nobody -- $E $KEYS "$NTOOL" $A1 --output "$tmp/locked/f" \
        >"$tmp/out" 2>"$tmp/err"; [ $? -eq 1 ] &&
        grep -qF "cannot create a file in $tmp/locked: Permission denied" "$tmp/err" &&
        [ "$(cat "$tmp/locked/f")" = good ]; then
        ok "an unwritable folder: exit 1, Permission denied, the file kept"
    else
        sed 's/^/# /' "$tmp/err"
        notok "an unwritable folder: exit 1, Permission denied, the file kept"
    fi
else
    ok "an unwritable folder # SKIP needs root and runuser"
fi
refused "--output naming a folder: exit 1" "cannot write $tmp/: it names a folder" \
    1 $A1 --output "$tmp/"

# --- several databases: --config --------------------------------------------
cat >"$tmp/dbs.conf" <<EOF
# three databases, one file
[rdsiam-token]
format = pgbouncer
output = $tmp/dbs.ini

[app]
hostname = app.example.com
port = 5432
username = app_user

[reports]
hostname = reports.example.com
port = 5433
username = reporter
dbname = reporting

[eu]
hostname = eu.example.com
port = 5432
username = app_user
region = eu-west-1
EOF
if run 0 --config "$tmp/dbs.conf" --signing-time 2016-11-07T17:39:33Z &&
    [ "$(sed -n 1p "$tmp/dbs.ini")" = "$HEADER" ] &&
    [ "$(wc -l <"$tmp/dbs.ini")" -eq 4 ] &&
    sed -n 2p "$tmp/dbs.ini" | grep -q "^app = host='app.example.com' port=5432 dbname='app' user='app_user' password='app.example.com:5432/?Action=connect&DBUser=app_user&.*%2Fus-east-1%2Frds-db%2F" &&
    sed -n 3p "$tmp/dbs.ini" | grep -q "^reports = host='reports.example.com' port=5433 dbname='reporting' user='reporter' password='reports.example.com:5433/" &&
    sed -n 4p "$tmp/dbs.ini" | grep -q "^eu = host='eu.example.com' port=5432 dbname='eu' .*%2Feu-west-1%2Frds-db%2F"; then
    ok "--config: one pgbouncer line per section, in file order, each region its own"
else
    notok "--config: one pgbouncer line per section, in file order, each region its own"
fi
if run 0 --config "$tmp/dbs.conf" --format pgpass --output "$tmp/dbs.pgpass" &&
    [ "$(grep -c '^[a-z]*\.example\.com:543[23]:' "$tmp/dbs.pgpass")" -eq 3 ] &&
    grep -q '^reports\.example\.com:5433:reporting:reporter:' "$tmp/dbs.pgpass" &&
    grep -q '^app\.example\.com:5432:\*:app_user:' "$tmp/dbs.pgpass"; then
    ok "--config: the command line's --format and --output win; pgpass for three hosts"
else
    notok "--config: the command line's --format and --output win; pgpass for three hosts"
fi
if run 0 --config "$tmp/dbs.conf" --format mycnf --output "$tmp/dbs.cnf" &&
    grep -q '^\[client_reports\]$' "$tmp/dbs.cnf" &&
    grep -q '^host="reports.example.com"$' "$tmp/dbs.cnf" &&
    grep -q '^port=5433$' "$tmp/dbs.cnf"; then
    ok "--config: mycnf groups [client_NAME] with host and port"
else
    notok "--config: mycnf groups [client_NAME] with host and port"
fi
badconf() { # badconf DESCRIPTION MESSAGE TEXT
    printf '%s\n' "$3" >"$tmp/bad.conf"
    refused "--config: $1" "$2" 1 --config "$tmp/bad.conf" --output "$tmp/never"
}
badconf "a section name with a space" \
    "$tmp/bad.conf, line 1: a section name is letters, digits, '_', '.' and '-'" \
    "[my db]
hostname = h"
badconf "an unknown setting" "$tmp/bad.conf: [app]: unknown setting hostnme" \
    "[app]
hostnme = h"
badconf "a section naming an ElastiCache token" \
    "$tmp/bad.conf: [cache]: elasticache: a config file lists databases; ElastiCache, MemoryDB and MSK tokens are asked for on the command line" \
    "[cache]
elasticache = my-cache
username = u"
badconf "a missing port" "$tmp/bad.conf: [app]: hostname, port and username are required" \
    "[app]
hostname = h
username = u"
badconf "a bad port" "$tmp/bad.conf: [app]: port must be a number from 1 to 65535" \
    "[app]
hostname = h
port = 5432x
username = u"
badconf "no database" "$tmp/bad.conf: no database" "[rdsiam-token]
format = pgpass"
badconf "a syntax error" "Expected an '=' sign defining a property ($tmp/bad.conf, line 2)" \
    "[app]
hostname h"
refused "--config: raw with several databases" \
    "format raw holds one token: for 3 databases use pgpass, pgbouncer or mycnf" 1 \
    --config "$tmp/dbs.conf" --format raw
refused "--config with --hostname: usage error" \
    "--config lists the databases" 2 --config "$tmp/dbs.conf" --hostname h
refused "--config: a file that does not exist" "cannot open $tmp/nothere" 1 \
    --config "$tmp/nothere"

# --- Aurora DSQL ------------------------------------------------------------
# Known answers: botocore 1.43.11 generate_db_connect_auth_token and
# generate_db_connect_admin_auth_token("abc.dsql.us-east-1.on.aws",
# "us-east-1"[, 3600]) with AKIDEXAMPLE00000 / skid at 2016-11-07T17:39:33Z
# (its clock frozen as in tests/crosscheck/botocore_token.py).
D1="abc.dsql.us-east-1.on.aws/?Action=DbConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE00000%2F20161107%2Fus-east-1%2Fdsql%2Faws4_request&X-Amz-Date=20161107T173933Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=fc0f35a19eeafb3e5f3b118c91bc5b1bb689c781937aeee5a5d7001a03683efc"
D2="abc.dsql.us-east-1.on.aws/?Action=DbConnectAdmin&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE00000%2F20161107%2Fus-east-1%2Fdsql%2Faws4_request&X-Amz-Date=20161107T173933Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=eb23e10aefd2c7667f008c059fd5b3d7ab9dbed190de7bb8e649e7c84fb683f3"
DS="--dsql --hostname abc.dsql.us-east-1.on.aws --signing-time 2016-11-07T17:39:33Z"
run 0 $DS && check "--dsql: botocore's DbConnect token" test "$(cat "$tmp/out")" = "$D1"
printf '{"token":"%s","expires":"2016-11-07T18:39:33Z","source":"environment"}\n' "$D2" >"$tmp/want"
run 0 $DS --action DbConnectAdmin --expires-in 3600 --json &&
    check "--dsql --action DbConnectAdmin --expires-in 3600 --json: botocore's token, +3600 s" same "$tmp/out"
cat >"$tmp/config" <<'EOF'
[default]
region = us-east-1
EOF
if $E AWS_ACCESS_KEY_ID=AKIDEXAMPLE00000 AWS_SECRET_ACCESS_KEY=skid "$TOOL" \
    $DS >"$tmp/out" 2>"$tmp/err" && [ "$(cat "$tmp/out")" = "$D1" ]; then
    ok "--dsql: the region from the profile"
else
    notok "--dsql: the region from the profile"
fi
: >"$tmp/config"
refused "--dsql --format mycnf: usage error" "Aurora DSQL speaks PostgreSQL" 2 \
    $DS --format mycnf
refused "--dsql --format pgpass without --username: usage error" \
    "--username is required" 2 $DS --format pgpass --output "$tmp/never"
run 0 $DS --username admin --action DbConnectAdmin --format pgpass --output "$tmp/d.pgpass" &&
    check "--dsql --format pgpass: port 5432 by default" \
        grep -q '^abc\.dsql\.us-east-1\.on\.aws:5432:\*:admin:abc\.dsql\.us-east-1\.on\.aws/?Action=DbConnectAdmin&' "$tmp/d.pgpass"

# --- --json: when the token stops working -----------------------------------
# credential_process answers with keys whose Expiration the test sets (or
# none), fails while $tmp/cp/fail exists, and blocks while $tmp/cp/slow
# exists (after writing its pid to $tmp/cp/sleeping).
mkdir -p "$tmp/cp"
cat >"$tmp/cp.sh" <<EOF
#!/bin/sh
d=$tmp/cp
[ -f \$d/fail ] && { echo "refused by the test" >&2; exit 1; }
if [ -f \$d/slow ]; then echo \$\$ >\$d/sleeping.tmp; mv \$d/sleeping.tmp \$d/sleeping; sleep 30; fi
exp=\$(cat \$d/expiration 2>/dev/null)
printf '{"Version": 1, "AccessKeyId": "AKIDPROCESS00000", "SecretAccessKey": "processsecret"%s}\n' "\${exp:+, \"Expiration\": \"\$exp\"}"
EOF
chmod 755 "$tmp/cp.sh"
printf '[default]\ncredential_process = %s\n' "$tmp/cp.sh" >"$tmp/cpconfig"
CP="env -i PATH=$PATH HOME=$tmp/home AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=$tmp/cpconfig AWS_SHARED_CREDENTIALS_FILE=$tmp/none AWS_REGION=us-east-1"
A2="--hostname db.example.com --port 5432 --username alice"
utc() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
# json_expiry: the expires field, and the token's X-Amz-Date + 900 s.
json_expiry() {
    python3 -c 'import json,sys,datetime as d
j=json.load(open(sys.argv[1]))
t=d.datetime.strptime(j["token"].split("X-Amz-Date=")[1][:16],"%Y%m%dT%H%M%SZ")
print(j["expires"], (t+d.timedelta(seconds=900)).strftime("%Y-%m-%dT%H:%M:%SZ"), j["source"])' "$1"
}
for life in 3600 930 600 120; do
    exp=$(utc $(($(date +%s) + life)))
    printf '%s\n' "$exp" >"$tmp/cp/expiration"
    $CP "$TOOL" $A2 --json >"$tmp/out" 2>"$tmp/err"
    set -- $(json_expiry "$tmp/out" 2>/dev/null)
    # Over 900 s of life left (on either side of the provider's 960 s
    # refresh margin), the token's own 15 minutes end first; under 900,
    # the credentials' expiry does.
    if [ "$life" -gt 900 ]; then want=${2-}; else want=$exp; fi
    if [ "${1-}" = "$want" ] && [ "${3-}" = "credential_process" ]; then
        ok "--json: credentials with $life s left: expires $( [ "$life" -gt 900 ] && echo "with the token (+900 s)" || echo "with the credentials")"
    else
        echo "# got ${1-} ${2-} ${3-}, wanted $want"; sed 's/^/# /' "$tmp/err"
        notok "--json: credentials with $life s left"
    fi
done
rm -f "$tmp/cp/expiration"
$CP "$TOOL" $A2 --json >"$tmp/out" 2>"$tmp/err"
set -- $(json_expiry "$tmp/out" 2>/dev/null)
check "--json: credentials without an expiry: the token's 15 minutes" \
    test -n "${2-}" -a "${1-}" = "${2-}"

# --- --explain and the [dev] hint --------------------------------------------
if $CP "$TOOL" $A2 --explain >"$tmp/out" 2>"$tmp/err" &&
    [ "$(sed -n 1p "$tmp/err")" = "rdsiam-token: explain: environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set" ] &&
    [ "$(sed -n 2p "$tmp/err")" = "rdsiam-token: explain: assume role: profile default has no role_arn" ] &&
    [ "$(sed -n 5p "$tmp/err")" = "rdsiam-token: explain: shared credentials file: profile default has no aws_access_key_id in the credentials file" ] &&
    [ "$(sed -n 6p "$tmp/err")" = "rdsiam-token: explain: login: profile default has no login_session" ] &&
    grep -q '^rdsiam-token: explain: credential_process: credentials found; the token expires at .* (its full lifetime)$' "$tmp/err" &&
    [ "$(wc -l <"$tmp/err")" -eq 7 ] && [ -s "$tmp/out" ]; then
    ok "--explain: one line per source passed over, then the one used"
else
    sed 's/^/# /' "$tmp/err"
    notok "--explain: one line per source passed over, then the one used"
fi
printf '[dev]\nregion = us-east-1\n' >"$tmp/config"
if $E "$TOOL" $A2 --profile dev >"$tmp/out" 2>"$tmp/err"; [ $? -eq 1 ] &&
    grep -qF "rdsiam-token: hint: the config file has a section [dev]; in the config file a profile is written [profile dev] (only the credentials file uses [dev])" "$tmp/err"; then
    ok "[dev] in the config file: the hint to write [profile dev]"
else
    sed 's/^/# /' "$tmp/err"
    notok "[dev] in the config file: the hint to write [profile dev]"
fi
: >"$tmp/config"
run 0 --hostname db.abc.eu-west-1.rds.amazonaws.com --port 5432 --username u
check "a host name in another region: a warning, the token still printed" \
    grep -qxF "rdsiam-token: warning: the host name db.abc.eu-west-1.rds.amazonaws.com is in eu-west-1, but the token is signed for us-east-1: the database will refuse it" "$tmp/err"
run 0 --hostname db.abc.us-east-1.rds.amazonaws.com --port 5432 --username u
check "a host name in the token's region: no warning" test ! -s "$tmp/err"

# --- ElastiCache, MemoryDB and MSK in the output modes ----------------------
# Known answers: tests/vectors/service-tokens/botocore-derived.json (made
# with botocore 1.43.11; see its SOURCE.md): each vector's token, and for
# MSK its expires_ms (X-Amz-Date + 900 s, in ms). --json's expires is
# X-Amz-Date + 900 s: the environment's keys do not expire.
. tests/helpers/service_vectors.sh # sv_load DIR, sv INDEX FIELD
sv_load "$tmp/sv"
svrun() { # svrun INDEX ARGS...: the tool with the vector's keys, region, time
    i=$1; shift
    st=$(sv "$i" session_token)
    env -i PATH="$PATH" HOME="$tmp/home" AWS_EC2_METADATA_DISABLED=true \
        AWS_CONFIG_FILE="$tmp/config" AWS_SHARED_CREDENTIALS_FILE="$tmp/none" \
        AWS_ACCESS_KEY_ID="$(sv "$i" access_key_id)" \
        AWS_SECRET_ACCESS_KEY="$(sv "$i" secret_access_key)" \
        ${st:+AWS_SESSION_TOKEN="$st"} AWS_REGION="$(sv "$i" region)" \
        "$TOOL" "$@" --signing-time "$(sv "$i" time)" >"$tmp/out" 2>"$tmp/err"
}
svjson() { # svjson INDEX: the --json line of the vector's token into $tmp/want
    python3 -c 'import json, sys, datetime as d
v = json.load(open(sys.argv[1]))[int(sys.argv[2])]
t = d.datetime.strptime(v["time"], "%Y%m%dT%H%M%SZ") + d.timedelta(seconds=900)
o = {"token": v["expected"], "expires": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
     "source": "environment"}
if "expires_ms" in v:
    o["expires_ms"] = v["expires_ms"]
print(json.dumps(o, separators=(",", ":")))' "$SV" "$1" >"$tmp/want"
}
svjson 0
svrun 0 --elasticache "$(sv 0 name)" --username "$(sv 0 username)" --json &&
    check "--elasticache --json: botocore's token, expires +900 s, the source" same "$tmp/out"
svjson 1
svrun 1 --elasticache "$(sv 1 name)" --username "$(sv 1 username)" --serverless \
    --format json --output "$tmp/ec.json" &&
    check "--elasticache --serverless --format json --output: the object in the file" same "$tmp/ec.json"
check "--elasticache --output: mode 0600, nothing on stdout or stderr" \
    test "$(mode_of "$tmp/ec.json")" = 600 -a ! -s "$tmp/out" -a ! -s "$tmp/err"
sv 4 expected >"$tmp/want"
svrun 4 --memorydb "$(sv 4 name)" --username "$(sv 4 username)" --output "$tmp/mdb.raw" &&
    check "--memorydb --output: the token and a newline (raw)" same "$tmp/mdb.raw"
svjson 5
svrun 5 --msk --user-agent "$(sv 5 user_agent)" --json &&
    check "--msk --json: botocore's token, expires, source, expires_ms ($(sv 5 expires_ms))" same "$tmp/out"
svjson 6
svrun 6 --msk --serverless --user-agent "$(sv 6 user_agent)" --json --output "$tmp/msk.json" &&
    check "--msk --serverless --json --output: the object in the file" same "$tmp/msk.json"
# Credentials that expire in 600 s end the MSK token first: expires and
# expires_ms are theirs.
exp=$(($(date +%s) + 600))
printf '%s\n' "$(utc $exp)" >"$tmp/cp/expiration"
if $CP "$TOOL" --msk --json >"$tmp/out" 2>"$tmp/err" &&
    python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
assert j["expires"] == sys.argv[2], j["expires"]
assert j["expires_ms"] == int(sys.argv[3]) * 1000, j["expires_ms"]
assert j["source"] == "credential_process", j["source"]' "$tmp/out" "$(utc $exp)" "$exp"; then
    ok "--msk --json: credentials with 600 s left: expires and expires_ms with them"
else
    sed 's/^/# /' "$tmp/out" "$tmp/err"
    notok "--msk --json: credentials with 600 s left: expires and expires_ms with them"
fi
rm -f "$tmp/cp/expiration"
if $CP "$TOOL" --elasticache my-cache --username u --explain >"$tmp/out" 2>"$tmp/err" &&
    [ "$(sed -n 1p "$tmp/err")" = "rdsiam-token: explain: environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set" ] &&
    grep -q '^rdsiam-token: explain: credential_process: credentials found; the token expires at .* (its full lifetime)$' "$tmp/err" &&
    [ "$(wc -l <"$tmp/err")" -eq 7 ] && grep -q '^my-cache/?Action=connect&User=u&' "$tmp/out"; then
    ok "--elasticache --explain: the sources passed over, then the one used"
else
    sed 's/^/# /' "$tmp/err"
    notok "--elasticache --explain: the sources passed over, then the one used"
fi

# --- the loop ---------------------------------------------------------------
. tests/helpers/wait_for.sh # wait_for FILE PATTERN [N]
# start_loop LOG ARGS...: the tool in the background ($lp its pid).
start_loop() {
    log=$1; shift
    # shellcheck disable=SC2086
    $E $KEYS "$TOOL" "$@" 2>"$log" &
    lp=$!
    pids="$pids $lp"
}

# Rotations: --every 1 with --then; each write logged with its expiry and
# source, the file changing, --then run after each.
printf '#!/bin/sh\necho x >>%s\n' "$tmp/then.count" >"$tmp/then.sh"
chmod 755 "$tmp/then.sh"
start_loop "$tmp/loop.log" $A2 --output "$tmp/l.raw" --every 1 --then "$tmp/then.sh"
wait_for "$tmp/loop.log" ': wrote ' 3
wait_for "$tmp/then.count" '^x$' 3 # --then runs after the write is logged
tok3=$(cat "$tmp/l.raw")
kill -TERM "$lp"; wait "$lp"; st=$?
check "--every 1: three writes logged" wait_for "$tmp/loop.log" ': wrote ' 3
check "--every: the first line says what it does" \
    grep -q "^[0-9-]*T[0-9:]*Z rdsiam-token: writing $tmp/l.raw every 1 s (1 database, format raw)$" "$tmp/loop.log"
check "--every: a write's line has the UTC time, file, expiry and source" \
    grep -q "^[0-9-]*T[0-9:]*Z rdsiam-token: wrote $tmp/l.raw: the token expires at [0-9-]*T[0-9:]*Z; credentials: environment$" "$tmp/loop.log"
check "--then ran after each write" test "$(wc -l <"$tmp/then.count")" -ge 3
check "SIGTERM: exit 0, the file left in place" test "$st" -eq 0 -a "$tok3" = "$(cat "$tmp/l.raw")"
check "the log never holds the token or the secret" \
    sh -c "! grep -q 'X-Amz-Signature\|skid' '$tmp/loop.log'"

# SIGHUP writes now (--every 3600 would not), SIGINT stops with 0.
start_loop "$tmp/hup.log" $A2 --output "$tmp/h.raw" --every 3600
wait_for "$tmp/hup.log" ': wrote '
kill -HUP "$lp"
wait_for "$tmp/hup.log" ': wrote ' 2
check "SIGHUP: written again at once" grep -q 'rdsiam-token: SIGHUP: writing now$' "$tmp/hup.log"
kill -INT "$lp"; wait "$lp"; st=$?
check "SIGINT: exit 0" test "$st" -eq 0

# --then failing is logged, the loop goes on.
start_loop "$tmp/tf.log" $A2 --output "$tmp/tf.raw" --every 1 --then 'exit 7'
wait_for "$tmp/tf.log" ': wrote ' 2
kill -TERM "$lp"; wait "$lp"
check "--then failing: a warning, and the loop writes on" \
    grep -q 'rdsiam-token: warning: --then: the command exited 7$' "$tmp/tf.log"

# A Kafka client's token file: --msk --json rewritten every second, --then
# after each; each write's expires_ms is its token's X-Amz-Date + 900 s.
: >"$tmp/then.count"
start_loop "$tmp/msk.log" --msk --json --output "$tmp/l.json" --every 1 --then "$tmp/then.sh"
wait_for "$tmp/msk.log" ': wrote ' 2
# --then runs after the write is logged: wait for its second run too.
wait_for "$tmp/then.count" '^x$' 2
kill -TERM "$lp"; wait "$lp"; st=$?
check "--msk --every 1: two writes logged with expiry and source" \
    test "$(grep -c "^[0-9-]*T[0-9:]*Z rdsiam-token: wrote $tmp/l.json: the token expires at [0-9-]*T[0-9:]*Z; credentials: environment$" "$tmp/msk.log")" -ge 2
check "--msk --every: --then ran after each write, SIGTERM exit 0" \
    test "$(wc -l <"$tmp/then.count")" -ge 2 -a "$st" -eq 0
check "--msk --every: the file's expires_ms is its token's X-Amz-Date + 900 s" \
    python3 -c 'import base64, json, sys, datetime as d, urllib.parse as u
j = json.load(open(sys.argv[1]))
t = j["token"]
url = base64.urlsafe_b64decode(t + "=" * (-len(t) % 4)).decode()
q = u.parse_qs(u.urlsplit(url).query)
s = d.datetime.strptime(q["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=d.timezone.utc)
assert url.startswith("https://kafka.us-east-1.amazonaws.com/?Action=kafka-cluster%3AConnect&")
assert j["expires_ms"] == (int(s.timestamp()) + 900) * 1000
assert j["source"] == "environment"' "$tmp/l.json"
check "--msk --every: the log never holds the token or the secret" \
    sh -c "! grep -q 'X-Amz-Signature\|skid\|\"token\"' '$tmp/msk.log'"

# The first write failing: exit 1 at once (no credentials).
if $E AWS_REGION=us-east-1 "$TOOL" $A2 --output "$tmp/ff.raw" --every 1 \
    >"$tmp/out" 2>"$tmp/err"; [ $? -eq 1 ] &&
    [ ! -e "$tmp/ff.raw" ] && grep -q 'no credentials found' "$tmp/err"; then
    ok "--every: the first write failing exits 1"
else
    notok "--every: the first write failing exits 1"
fi

# A reader racing the writer never sees a part: SIGHUP after SIGHUP, each
# answered by a write (its log line), while a reader reads the file in a
# loop; every read must be one whole file of the format.
python3 - "$TOOL" "$tmp" <<'EOF'
import os, re, signal, subprocess, sys, threading, time
tool, tmp = sys.argv[1:3]
out = os.path.join(tmp, "race.ini")
log = open(os.path.join(tmp, "race.log"), "w+")
env = {"PATH": os.environ["PATH"], "HOME": tmp + "/home",
       "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": tmp + "/none",
       "AWS_SHARED_CREDENTIALS_FILE": tmp + "/none",
       "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE00000", "AWS_SECRET_ACCESS_KEY": "skid",
       "AWS_REGION": "us-east-1", "AWS_SESSION_TOKEN": "S" * 1200}
whole = re.compile(r"\A# Written by rdsiam-token[^\n]*\n"
                   r"app = host='db\.example\.com' port=5432 dbname='app' "
                   r"user='alice' password='[^'\n]{1300,2047}'\n\Z")
p = subprocess.Popen([tool, "--hostname", "db.example.com", "--port", "5432",
                      "--username", "alice", "--format", "pgbouncer",
                      "--dbname", "app", "--output", out, "--every", "3600"],
                     env=env, stderr=log)
def writes():
    log.flush()
    return open(log.name).read().count(": wrote ")
stop, reads, bad = False, [0], [0]
def reader():
    while not stop:
        try:
            with open(out) as f:
                text = f.read()
        except FileNotFoundError:
            continue
        reads[0] += 1
        if not whole.match(text):
            bad[0] += 1
t = threading.Thread(target=reader)
deadline = time.monotonic() + 120  # only a bug could take this long
while writes() < 1 and time.monotonic() < deadline:
    time.sleep(0.01)
t.start()
n = writes()
for _ in range(150):
    p.send_signal(signal.SIGHUP)
    while writes() == n and time.monotonic() < deadline:
        time.sleep(0.001)
    n = writes()
stop = True
t.join()
p.send_signal(signal.SIGTERM)
rc = p.wait(timeout=60)
good = rc == 0 and n >= 150 and reads[0] > 0 and bad[0] == 0
print("%s - a reader racing %d writes: %d reads, %d partial or wrong"
      % ("ok" if good else "not ok", n, reads[0], bad[0]))
left = [f for f in os.listdir(tmp) if f.startswith(".race.ini.")]
print("%s - no temporary file left after SIGTERM" % ("not ok" if left else "ok"))
EOF

# A credential source failing mid-run: credentials that live 6 s, so the
# provider fetches again soon; the fetches then fail. The provider signs
# with the cached credentials while they last, and a token dies with
# them: so the first failure finds the file's token expired, and says so
# at error level. The file keeps the last good token, and the loop
# recovers when the source does.
printf '%s\n' "$(utc $(($(date +%s) + 6)))" >"$tmp/cp/expiration"
$CP "$TOOL" $A2 --output "$tmp/fail.raw" --every 1 2>"$tmp/fail.log" &
lp=$!
pids="$pids $lp"
wait_for "$tmp/fail.log" ': wrote '
touch "$tmp/cp/fail"
wait_for "$tmp/fail.log" 'rdsiam-token: error: cannot refresh '
kept=$(cat "$tmp/fail.raw")
# (The first failure's reason is the source's refusal, or, on a machine
# slow enough that a fetch came between the expiry and the refusal, the
# expired credentials it returned: either way the file's token is dead.)
if grep -q "rdsiam-token: error: cannot refresh $tmp/fail.raw: .*; the token there expired at .*; next try in [0-9]* s$" "$tmp/fail.log" &&
    grep -q "refused by the test" "$tmp/fail.log"; then
    ok "a failing source: an error once it has expired"
else
    sed 's/^/# /' "$tmp/fail.log"
    notok "a failing source: an error once it has expired"
fi
check "a failing source: the file keeps the last good token" \
    test -n "$kept" -a "$(cat "$tmp/fail.raw")" = "$kept"
printf '%s\n' "$(utc $(($(date +%s) + 3600)))" >"$tmp/cp/expiration"
nw=$(grep -c ': wrote ' "$tmp/fail.log")
rm -f "$tmp/cp/fail"
check "a failing source: the loop recovers when it does" \
    wait_for "$tmp/fail.log" ': wrote ' $((nw + 1))
check "a failing source: a new token in the file" \
    test "$(cat "$tmp/fail.raw")" != "$kept"
kill -TERM "$lp"; wait "$lp"

# A write failing while the file's token is still good (its folder made
# read-only under a loop that runs as nobody): a warning, the file kept,
# and the loop writes again once the folder is writable.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    mkdir -p "$tmp/ro" && chown nobody "$tmp/ro"
    # setpriv execs the tool itself: $! is the tool, not a parent.
    setpriv --reuid=nobody --regid=nogroup --clear-groups $E $KEYS "$NTOOL" \
        $A2 --output "$tmp/ro/f" --every 1 2>"$tmp/ro.log" &
    lp=$!
    pids="$pids $lp"
    wait_for "$tmp/ro.log" ': wrote '
    chmod 555 "$tmp/ro"
    kept=$(cat "$tmp/ro/f")
    wait_for "$tmp/ro.log" 'warning: cannot refresh'
    check "a write failing: a warning while the file's token is valid" \
        grep -q "rdsiam-token: warning: cannot refresh $tmp/ro/f: cannot write $tmp/ro/f: cannot create a file in $tmp/ro: Permission denied; the token there expires at .*; next try in 1 s$" "$tmp/ro.log"
    check "a write failing: the file keeps its token" test "$(cat "$tmp/ro/f")" = "$kept"
    nw=$(grep -c ': wrote ' "$tmp/ro.log")
    chmod 755 "$tmp/ro"
    check "a write failing: the loop writes again once it can" \
        wait_for "$tmp/ro.log" ': wrote ' $((nw + 1))
    kill -TERM "$lp"; wait "$lp"
else
    ok "a write failing while the token is good # SKIP needs root and setpriv"
fi

# SIGTERM while a credential fetch blocks: the process ends at once (the
# fetch is not waited for), status 0, the file in place.
rm -f "$tmp/cp/expiration" "$tmp/cp/sleeping"
printf '%s\n' "$(utc $(($(date +%s) + 3)))" >"$tmp/cp/expiration"
$CP "$TOOL" $A2 --output "$tmp/slow.raw" --every 1 2>"$tmp/slow.log" &
lp=$!
pids="$pids $lp"
wait_for "$tmp/slow.log" ': wrote '
touch "$tmp/cp/slow"
i=0
while [ ! -f "$tmp/cp/sleeping" ] && [ $i -lt 600 ]; do i=$((i + 1)); sleep 0.05; done
sp=$(cat "$tmp/cp/sleeping" 2>/dev/null)
kill -TERM "$lp"; wait "$lp"; st=$?
if [ -n "$sp" ] && [ "$st" -eq 0 ] && kill -0 "$sp" 2>/dev/null && [ -s "$tmp/slow.raw" ]; then
    ok "SIGTERM during a blocked credential fetch: exit 0 before the fetch ends"
else
    notok "SIGTERM during a blocked credential fetch: exit 0 before the fetch ends (status $st)"
fi
[ -n "$sp" ] && kill "$sp" 2>/dev/null
exit 0
