# common.sh - helpers shared by rds-emulator and its engine scripts.
# Sourced, never run. POSIX sh.
#
# An emulator directory DIR holds:
#   DIR/emulator.conf  what start decided (sourced by the engine scripts)
#   DIR/env            what clients need: RDS_* and AWS_* (see write_env)
#   DIR/keys           the key file the server verifies tokens with (0600)
#   DIR/tls/           ca.pem, ca-key.pem, server.pem, server-key.pem
#   DIR/<engine>/      the engine's own data, sockets, logs
#
# Variables in emulator.conf (all EMU_*): ENGINE, DIR, HOST, PORT, USER,
# REGION, CA, CERT, KEY, KEYFILE, BUILD (the build directory holding the
# plugin or module), SESSION (1 when the key requires a session token);
# for the valkey engine CACHE_NAME, CACHE_SERVICE (elasticache, memorydb),
# SERVERLESS (1 or 0), SESSION_SECONDS, CLOCK_SKEW.
#
# SPDX-License-Identifier: MIT

emu_prog=${emu_prog:-rds-emulator}

emu_die() {
    echo "$emu_prog: $*" >&2
    exit 1
}

emu_log() {
    [ "${EMU_QUIET:-0}" = 1 ] || echo "$emu_prog: $*" >&2
}

# Quote a value for a shell file: 'it'\''s'.
emu_quote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# emu_random N ALPHABET: N characters drawn from ALPHABET (tr ranges).
emu_random() {
    _n=$1
    _set=$2
    _out=""
    while [ "${#_out}" -lt "$_n" ]; do
        # Random bytes kept only when in the set: ask for enough that even
        # a set of 32 of the 256 byte values usually needs one round.
        _out=$_out$(openssl rand $((_n * 10 + 64)) | LC_ALL=C tr -dc "$_set")
    done
    printf '%s' "$_out" | cut -c "1-$_n"
}

# A TCP port on 127.0.0.1 that nothing listens on, below the kernel's
# ephemeral range (so outgoing connections do not take it meanwhile).
emu_free_port() {
    _lo=20000
    _hi=$(awk '{print $1 - 1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
    [ -n "$_hi" ] && [ "$_hi" -gt "$_lo" ] || _hi=32767
    _try=0
    while [ "$_try" -lt 200 ]; do
        _try=$((_try + 1))
        _r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
        _p=$((_lo + _r % (_hi - _lo)))
        # Listening sockets (state 0A) in /proc/net/tcp{,6}, port in hex.
        _hex=$(printf '%04X' "$_p")
        if ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
            awk -v h="$_hex" '$4 == "0A" { split($2, a, ":"); if (a[2] == h) f = 1 } END { exit !f }'; then
            echo "$_p"
            return 0
        fi
    done
    emu_die "no free TCP port found between $_lo and $_hi"
}

# emu_make_certs TLSDIR HOST: a fresh CA and a server certificate valid for
# HOST, localhost and 127.0.0.1, signed by it. Keys are 0600.
emu_make_certs() {
    _d=$1
    _host=$2
    mkdir -p "$_d" || emu_die "cannot create $_d"
    _san="DNS:localhost,IP:127.0.0.1"
    case $_host in
    localhost | 127.0.0.1) ;;
    *[!0-9.]*) _san="DNS:$_host,$_san" ;;
    *) _san="IP:$_host,$_san" ;;
    esac
    (
        umask 077
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
            -nodes -keyout "$_d/ca-key.pem" -out "$_d/ca.pem" -days 2 \
            -subj "/CN=rdsiam emulator CA $(emu_random 8 'a-z0-9')" \
            -addext "basicConstraints=critical,CA:TRUE" \
            -addext "keyUsage=critical,keyCertSign,cRLSign" &&
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -keyout "$_d/server-key.pem" -out "$_d/server.csr" \
            -subj "/CN=$_host" &&
        printf '%s\n' "subjectAltName=$_san" "basicConstraints=CA:FALSE" \
            "keyUsage=critical,digitalSignature,keyEncipherment" \
            "extendedKeyUsage=serverAuth" >"$_d/server.ext" &&
        openssl x509 -req -in "$_d/server.csr" -CA "$_d/ca.pem" \
            -CAkey "$_d/ca-key.pem" -CAcreateserial -days 2 \
            -extfile "$_d/server.ext" -out "$_d/server.pem"
    ) >"$_d/openssl.log" 2>&1 || {
        cat "$_d/openssl.log" >&2
        emu_die "could not create the TLS certificates in $_d"
    }
    rm -f "$_d/server.csr" "$_d/server.ext" "$_d/ca.srl"
    chmod 644 "$_d/ca.pem" "$_d/server.pem"
}

# emu_make_keys KEYFILE SESSION: a generated access key pair (and, when
# SESSION is 1, a session token of STS-like length, over 1 KB), written
# to KEYFILE (0600); sets EMU_AKID, EMU_SECRET, EMU_TOKEN.
emu_make_keys() {
    EMU_AKID=AKIA$(emu_random 16 'A-Z2-7')
    EMU_SECRET=$(emu_random 40 'A-Za-z0-9+/')
    EMU_TOKEN=""
    if [ "$2" = 1 ]; then
        EMU_AKID=ASIA$(emu_random 16 'A-Z2-7')
        EMU_TOKEN=IQoJb3JpZ2luX2VjE$(emu_random 1180 'A-Za-z0-9+/')==
    fi
    (
        umask 077
        {
            echo "# rds-emulator key file: ACCESS_KEY_ID SECRET_ACCESS_KEY [SESSION_TOKEN]"
            echo "$EMU_AKID $EMU_SECRET${EMU_TOKEN:+ $EMU_TOKEN}"
        } >"$1"
    ) || emu_die "cannot write $1"
}

# emu_load_conf DIR: source DIR/emulator.conf (engine scripts call this).
emu_load_conf() {
    [ -f "$1/emulator.conf" ] ||
        emu_die "$1 holds no emulator (no $1/emulator.conf)"
    . "$1/emulator.conf"
}

# emu_write_conf: DIR/emulator.conf from the EMU_* variables.
emu_write_conf() {
    {
        echo "# written by rds-emulator start; read by the engine scripts"
        for _v in ENGINE DIR HOST PORT USER REGION CA CERT KEY KEYFILE BUILD \
            SESSION CREATED_DIR CACHE_NAME CACHE_SERVICE SERVERLESS \
            SESSION_SECONDS CLOCK_SKEW; do
            eval "_val=\${EMU_$_v-}"
            echo "EMU_$_v=$(emu_quote "$_val")"
        done
    } >"$EMU_DIR/emulator.conf" || emu_die "cannot write $EMU_DIR/emulator.conf"
}

# emu_write_env: DIR/env, a shell file that sets what a client needs.
emu_write_env() {
    (
        umask 077
        {
            echo "# rds-emulator ($EMU_ENGINE): source this file, then run the client"
            echo "export RDS_ENGINE=$(emu_quote "$EMU_ENGINE")"
            echo "export RDS_HOST=$(emu_quote "$EMU_HOST")"
            echo "export RDS_PORT=$(emu_quote "$EMU_PORT")"
            echo "export RDS_USER=$(emu_quote "$EMU_USER")"
            [ -n "${EMU_DATABASE-}" ] &&
                echo "export RDS_DATABASE=$(emu_quote "$EMU_DATABASE")"
            if [ "$EMU_ENGINE" = valkey ]; then
                echo "export RDS_CACHE_NAME=$(emu_quote "$EMU_CACHE_NAME")"
                echo "export RDS_CACHE_SERVICE=$(emu_quote "$EMU_CACHE_SERVICE")"
                echo "export RDS_CACHE_SERVERLESS=$(emu_quote "$EMU_SERVERLESS")"
            fi
            echo "export RDS_CA_BUNDLE=$(emu_quote "$EMU_CA")"
            echo "export RDS_KEY_FILE=$(emu_quote "$EMU_KEYFILE")"
            echo "export AWS_REGION=$(emu_quote "$EMU_REGION")"
            echo "export AWS_ACCESS_KEY_ID=$(emu_quote "$EMU_AKID")"
            echo "export AWS_SECRET_ACCESS_KEY=$(emu_quote "$EMU_SECRET")"
            if [ -n "$EMU_TOKEN" ]; then
                echo "export AWS_SESSION_TOKEN=$(emu_quote "$EMU_TOKEN")"
            else
                echo "unset AWS_SESSION_TOKEN"
            fi
        } >"$EMU_DIR/env"
    ) || emu_die "cannot write $EMU_DIR/env"
}

# emu_wait SECONDS COMMAND...: run COMMAND every 0.2 s until it succeeds;
# fails after SECONDS.
emu_wait() {
    _limit=$(($1 * 5))
    shift
    _i=0
    while [ "$_i" -lt "$_limit" ]; do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
        _i=$((_i + 1))
    done
    return 1
}

# emu_pid_alive PIDFILE: the process named in PIDFILE is running.
emu_pid_alive() {
    [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# emu_stop_pid PIDFILE SECONDS: TERM the process, wait, then KILL it.
emu_stop_pid() {
    emu_pid_alive "$1" || return 0
    _pid=$(cat "$1")
    kill -TERM "$_pid" 2>/dev/null
    _i=0
    while [ "$_i" -lt $(($2 * 5)) ] && kill -0 "$_pid" 2>/dev/null; do
        sleep 0.2
        _i=$((_i + 1))
    done
    if kill -0 "$_pid" 2>/dev/null; then
        emu_log "process $_pid did not stop in $2 s; killing it"
        kill -KILL "$_pid" 2>/dev/null
        sleep 0.2
    fi
    return 0
}
