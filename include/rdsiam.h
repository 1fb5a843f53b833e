/*
 * rdsiam.h - IAM database authentication tokens for Amazon RDS, Aurora and
 * Aurora DSQL, from C.
 *
 * This is the only public header of librdsiam.
 *
 * Which call to use (the same table opens rdsiam(3)):
 *   - you hold the keys: rdsiam_generate_token() / _ex() into your buffer
 *     (Aurora DSQL: rdsiam_generate_dsql_token());
 *   - a long-running program: one rdsiam_provider (e.g.
 *     rdsiam_provider_new_default()) kept for its life, and
 *     rdsiam_provider_generate_token() per connection (params.region NULL:
 *     the provider's region, resolved once);
 *   - a short program: rdsiam_connect_token(), the same parameters, a thin
 *     wrapper over a provider made for the call.
 *   rdsiam_token_params_check() checks the parameters alone.
 *
 * It declares:
 *
 *   - the token API:      rdsiam_generate_token(), rdsiam_generate_dsql_token()
 *     and, for ElastiCache, MemoryDB (Valkey, Redis OSS) and Amazon MSK
 *     (Kafka SASL/OAUTHBEARER), rdsiam_generate_elasticache_token(),
 *     rdsiam_generate_memorydb_token(), rdsiam_generate_msk_token()
 *   - a general SigV4 signer (Authorization header and presigned query)
 *   - credential providers with caching and refresh, one per source, and
 *     the AWS CLI's default chain of them: environment, assumed roles, web
 *     identity, IAM Identity Center (SSO), profile files with static keys,
 *     login_session (`aws login`) and credential_process, container
 *     endpoints (ECS, EKS Pod Identity) and EC2 instance metadata
 *   - token verification, for emulators, tests and proxies that hold the keys
 *
 * Conventions (see rdsiam(3)):
 *   - Every fallible function returns RDSIAM_OK (0) or a negative RDSIAM_ERR_*
 *     code. Codes are never renumbered. rdsiam_strerror() names any code.
 *   - Functions that can say more take an optional caller-owned
 *     rdsiam_error *; it may be NULL. Messages name the field or file, never
 *     a secret value.
 *   - Pointers passed in are borrowed for the duration of the call unless a
 *     comment says otherwise. Objects returned through **out are owned by the
 *     caller and released with the matching *_free(), which accepts NULL.
 *   - No initialisation or cleanup function is needed.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_H
#define RDSIAM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define RDSIAM_API __attribute__((visibility("default")))
#else
#define RDSIAM_API
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                   */
/* ------------------------------------------------------------------------ */

#define RDSIAM_VERSION_MAJOR 0
#define RDSIAM_VERSION_MINOR 3
#define RDSIAM_VERSION_PATCH 0
#define RDSIAM_VERSION_STRING "0.3.0"
/** 0xMMmmpp: major, minor, patch; comparable with < and >. */
#define RDSIAM_VERSION_NUMBER                                                  \
    ((RDSIAM_VERSION_MAJOR << 16) | (RDSIAM_VERSION_MINOR << 8) |              \
     RDSIAM_VERSION_PATCH)

/**
 * rdsiam_version - the version of the library actually linked.
 *
 * Returns a static string "MAJOR.MINOR.PATCH". Thread-safe.
 */
RDSIAM_API const char *rdsiam_version(void);

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

/*
 * Error codes. Values are stable: new codes are added, none is renumbered.
 * Ranges: -1..-19 general, -20..-59 token inputs, -60..-99 SigV4,
 * -100..-199 credential providers, -200..-249 token verification.
 */
enum rdsiam_status {
    RDSIAM_OK = 0,

    /* general */
    RDSIAM_ERR_NULL_ARGUMENT = -1,    /* a required pointer is NULL */
    RDSIAM_ERR_BUFFER_TOO_SMALL = -2, /* output buffer too small; see *_ex */
    RDSIAM_ERR_NO_MEMORY = -3,        /* allocation failed */
    RDSIAM_ERR_CRYPTO = -4,           /* the crypto library failed */
    RDSIAM_ERR_INTERNAL = -5,         /* a bug: please report it */
    RDSIAM_ERR_INVALID_ARGUMENT = -6, /* an argument is out of its domain */
    RDSIAM_ERR_NOT_BUILT_IN = -7,     /* feature compiled out (HTTP=no) */
    RDSIAM_ERR_WOULD_BLOCK = -8,      /* non-blocking call has nothing yet */

    /* token inputs */
    RDSIAM_ERR_HOSTNAME_EMPTY = -20,
    RDSIAM_ERR_HOSTNAME_SCHEME = -21,  /* "https://host" */
    RDSIAM_ERR_HOSTNAME_PATH = -22,    /* "host/db", "host?x", "host#x" */
    RDSIAM_ERR_HOSTNAME_INVALID = -23, /* whitespace, control, bad chars */
    RDSIAM_ERR_HOSTNAME_TOO_LONG = -24,
    RDSIAM_ERR_PORT_RANGE = -25, /* port not in 1..65535 */
    RDSIAM_ERR_USERNAME_EMPTY = -26,
    RDSIAM_ERR_USERNAME_UTF8 = -27,     /* not valid UTF-8 */
    RDSIAM_ERR_USERNAME_TOO_LONG = -28, /* over RDSIAM_USERNAME_MAX bytes */
    RDSIAM_ERR_REGION_EMPTY = -29,
    RDSIAM_ERR_REGION_INVALID = -30, /* outside [a-z0-9-] or too long */
    RDSIAM_ERR_TIME_RANGE = -31,     /* before 1970 or after 9999 */
    RDSIAM_ERR_ACCESS_KEY_EMPTY = -32,
    RDSIAM_ERR_ACCESS_KEY_INVALID = -33,
    RDSIAM_ERR_SECRET_KEY_EMPTY = -34,
    RDSIAM_ERR_SECRET_KEY_INVALID = -35,
    RDSIAM_ERR_SESSION_TOKEN_INVALID = -36,
    RDSIAM_ERR_EXPIRES_RANGE = -37,    /* expires_in not in 1..604800 */
    RDSIAM_ERR_DSQL_ACTION = -38,      /* unknown DSQL action */
    RDSIAM_ERR_CREDENTIALS_NULL = -39, /* creds pointer is NULL */
    RDSIAM_ERR_RESOURCE_NAME = -40,    /* cache or cluster name invalid */
    RDSIAM_ERR_USER_AGENT = -41,       /* MSK user agent invalid */

    /* SigV4 */
    RDSIAM_ERR_SIGV4_METHOD = -60,    /* empty or invalid method */
    RDSIAM_ERR_SIGV4_PATH = -61,      /* path does not start with '/' */
    RDSIAM_ERR_SIGV4_HEADER = -62,    /* header name or value invalid */
    RDSIAM_ERR_SIGV4_SERVICE = -63,   /* empty or invalid service */
    RDSIAM_ERR_SIGV4_QUERY = -64,     /* malformed query string */
    RDSIAM_ERR_SIGV4_TOO_LARGE = -65, /* request exceeds internal bounds */

    /* credential providers */
    RDSIAM_ERR_NO_CREDENTIALS =
        -100, /* no provider had any; detail lists where */
    RDSIAM_ERR_ENV_INCOMPLETE = -101, /* only one of key id / secret set */
    RDSIAM_ERR_PROFILE_NOT_FOUND = -102,
    RDSIAM_ERR_PROFILE_INCOMPLETE = -103, /* key id without secret, etc. */
    RDSIAM_ERR_CONFIG_PARSE = -104, /* malformed file; detail: file and line */
    RDSIAM_ERR_FILE_IO = -105,      /* a file could not be read */
    RDSIAM_ERR_PROCESS_FAILED = -106, /* credential_process exited non-zero */
    RDSIAM_ERR_PROCESS_TIMEOUT = -107,
    RDSIAM_ERR_PROCESS_OUTPUT = -108, /* too large, bad JSON, missing fields */
    RDSIAM_ERR_HTTP = -109,           /* connection, timeout, protocol */
    RDSIAM_ERR_HTTP_STATUS = -110,    /* non-2xx answer */
    RDSIAM_ERR_URI_INVALID = -111,
    RDSIAM_ERR_URI_NOT_ALLOWED =
        -112, /* plain-http host not on the allow list */
    RDSIAM_ERR_AUTH_TOKEN_INVALID = -113, /* container auth token has CR/LF */
    RDSIAM_ERR_JSON = -114, /* malformed or incomplete JSON answer */
    RDSIAM_ERR_CREDENTIALS_EXPIRED = -115,
    RDSIAM_ERR_NO_REGION = -116,   /* no region anywhere */
    RDSIAM_ERR_ENV_INVALID = -117, /* an environment variable is malformed */
    RDSIAM_ERR_PROVIDER_DISABLED = -118, /* reserved: never returned */
    RDSIAM_ERR_STS = -119, /* STS refused: its error Code and Message */
    RDSIAM_ERR_XML = -120, /* malformed or incomplete XML answer */
    RDSIAM_ERR_PROFILE_INVALID = -121, /* contradictory profile settings, a
                                          source_profile loop, mfa_serial */

    /* token verification */
    RDSIAM_ERR_TOKEN_MALFORMED = -200,
    RDSIAM_ERR_TOKEN_UNKNOWN_KEY = -201,
    RDSIAM_ERR_TOKEN_SIGNATURE = -202,
    RDSIAM_ERR_TOKEN_SERVICE = -203,
    RDSIAM_ERR_TOKEN_ACTION = -204,
    RDSIAM_ERR_TOKEN_REGION = -205,
    RDSIAM_ERR_TOKEN_HOST = -206,
    RDSIAM_ERR_TOKEN_USER = -207,
    RDSIAM_ERR_TOKEN_EXPIRED = -208,
    RDSIAM_ERR_TOKEN_FUTURE = -209,
    RDSIAM_ERR_TOKEN_SESSION = -210,
    RDSIAM_ERR_KEYFILE = -211 /* the verifier's key file is malformed */
};

/** Size of rdsiam_error.message, including the terminating NUL. */
#define RDSIAM_ERROR_MESSAGE_SIZE 1024

/**
 * rdsiam_error - optional detail about a failure, owned by the caller.
 *
 * Functions that take an rdsiam_error * fill it on failure (code and a
 * message naming the field, file and line, or command; never a secret) and
 * set code to RDSIAM_OK and message to "" on success. May be NULL.
 */
typedef struct rdsiam_error {
    int code;
    char message[RDSIAM_ERROR_MESSAGE_SIZE];
} rdsiam_error;

/**
 * rdsiam_strerror - a static, human-readable description of any code.
 *
 * Unknown codes give "unknown error". Never returns NULL. Thread-safe.
 */
RDSIAM_API const char *rdsiam_strerror(int code);

/* ------------------------------------------------------------------------ */
/* Credentials and RDS tokens                                                */
/* ------------------------------------------------------------------------ */

/** Limits enforced on inputs (bytes, excluding the NUL). */
#define RDSIAM_HOSTNAME_MAX 253
#define RDSIAM_USERNAME_MAX 512
#define RDSIAM_REGION_MAX 64
#define RDSIAM_ACCESS_KEY_MAX 128
#define RDSIAM_SECRET_KEY_MAX 128
#define RDSIAM_SESSION_TOKEN_MAX 16384

/** RDS tokens are valid for 15 minutes; X-Amz-Expires is always 900. */
#define RDSIAM_TOKEN_LIFETIME 900

/**
 * rdsiam_credentials - AWS credentials, borrowed by the functions that
 * take them.
 *
 * access_key_id and secret_access_key MUST be non-empty. session_token NULL
 * (or "") means long-term credentials. expiration is seconds since the Unix
 * epoch, 0 meaning "does not expire". Fields added later are zero by
 * default, so initialise with designated initialisers or memset.
 */
typedef struct rdsiam_credentials {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;
    int64_t expiration;
} rdsiam_credentials;

/**
 * rdsiam_token_params - where and as whom to log in.
 *
 * hostname: the endpoint as the client will connect to it, without scheme,
 *           port or path; printed in the token as given, signed lowercased.
 * port:     1..65535.
 * username: the database user, valid UTF-8, 1..RDSIAM_USERNAME_MAX bytes.
 * region:   e.g. "us-east-1": [a-z0-9-]{1,64}. Never guessed from hostname.
 * signing_time: seconds since the Unix epoch, 0 meaning "now"; up to
 *           9999-12-31T23:59:59Z.
 */
typedef struct rdsiam_token_params {
    const char *hostname;
    unsigned int port;
    const char *username;
    const char *region;
    int64_t signing_time;
} rdsiam_token_params;

/**
 * rdsiam_generate_token - write an RDS IAM authentication token into buf.
 *
 * The token is byte-identical to botocore's generate_db_auth_token and the
 * AWS CLI's `aws rds generate-db-auth-token` for the same inputs and time:
 *   host:port/?Action=connect&DBUser=...&X-Amz-Algorithm=...&X-Amz-Signature=...
 *
 * @params  borrowed; see rdsiam_token_params.
 * @creds   borrowed.
 * @buf     caller-owned output; receives the NUL-terminated token on success
 *          and an empty string on any failure (never a partial token).
 * @bufsize size of buf in bytes. rdsiam_generate_token_ex() reports the size
 *          needed; a token with no session token fits in 2048 bytes unless
 *          the username needs heavy percent-encoding.
 *
 * Returns RDSIAM_OK or a negative RDSIAM_ERR_* (RDSIAM_ERR_BUFFER_TOO_SMALL
 * when buf cannot hold the token). The token is a bearer credential for 15
 * minutes: wipe buf when done with it.
 *
 * Thread safety: reentrant; may be called from any number of threads.
 */
RDSIAM_API int rdsiam_generate_token(const rdsiam_token_params *params,
                                     const rdsiam_credentials *creds, char *buf,
                                     size_t bufsize);

/**
 * rdsiam_generate_token_ex - rdsiam_generate_token() with size and detail.
 *
 * @needed  optional; receives the buffer size the token needs, including
 *          the NUL, whenever the inputs are valid (also on
 *          RDSIAM_ERR_BUFFER_TOO_SMALL). buf may be NULL when bufsize is 0,
 *          to ask for the size only.
 * @err     optional detail on failure.
 */
RDSIAM_API int rdsiam_generate_token_ex(const rdsiam_token_params *params,
                                        const rdsiam_credentials *creds,
                                        char *buf, size_t bufsize,
                                        size_t *needed, rdsiam_error *err);

/**
 * rdsiam_token_params_check - check token parameters without signing.
 *
 * Applies exactly the checks rdsiam_generate_token_ex() applies to params
 * (hostname, port, username, signing_time, and region when it is not
 * NULL), so a program can refuse bad input before it spends a credential
 * fetch. region NULL is accepted here: it means "resolve it", which the
 * provider functions do (rdsiam_provider_generate_token(),
 * rdsiam_connect_token()); rdsiam_generate_token() itself needs a region.
 *
 * @params  borrowed.
 * @err     optional detail naming the field (never its value).
 * Returns RDSIAM_OK or the field's RDSIAM_ERR_* code. Reentrant.
 */
RDSIAM_API int rdsiam_token_params_check(const rdsiam_token_params *params,
                                         rdsiam_error *err);

/** rdsiam_token_free - wipe and free a token from rdsiam_connect_token(). NULL
 * is fine. */
RDSIAM_API void rdsiam_token_free(char *token);

/**
 * rdsiam_cache_wipe - wipe the calling thread's signing-key cache now.
 *
 * To sign fast, each thread keeps the last SigV4 signing key it derived,
 * with the secret it came from, and replaces it (wiping the old one) when
 * the secret, day, region or service changes; it also keeps the last
 * session token it signed with and the last token it wrote, up to its
 * signature (so with that session token). All of it is wiped when the
 * thread exits (not after the library was unloaded with dlclose: call
 * this in the thread before). Call this to wipe it sooner, e.g. after the
 * last token of a batch or when credentials are retired. Optional: never
 * needed for correctness.
 *
 * Thread safety: affects the calling thread only.
 */
RDSIAM_API void rdsiam_cache_wipe(void);

/* ------------------------------------------------------------------------ */
/* Aurora DSQL tokens                                                        */
/* ------------------------------------------------------------------------ */

/** DSQL actions: DbConnect for ordinary roles, DbConnectAdmin for admin. */
typedef enum rdsiam_dsql_action {
    RDSIAM_DSQL_CONNECT = 0,
    RDSIAM_DSQL_CONNECT_ADMIN = 1
} rdsiam_dsql_action;

/**
 * rdsiam_dsql_params - an Aurora DSQL cluster endpoint (no port, no user).
 *
 * expires_in: seconds, 0 meaning 900; at most 604800 (the SigV4 maximum).
 */
typedef struct rdsiam_dsql_params {
    const char *hostname;
    const char *region;
    rdsiam_dsql_action action;
    int64_t expires_in;
    int64_t signing_time;
} rdsiam_dsql_params;

/**
 * rdsiam_generate_dsql_token - an Aurora DSQL token, byte-identical to
 * botocore's generate_db_connect_auth_token / _admin_auth_token.
 *
 * Same buffer, size and error rules as rdsiam_generate_token_ex(). Reentrant.
 */
RDSIAM_API int rdsiam_generate_dsql_token(const rdsiam_dsql_params *params,
                                          const rdsiam_credentials *creds,
                                          char *buf, size_t bufsize,
                                          size_t *needed, rdsiam_error *err);

/* ------------------------------------------------------------------------ */
/* ElastiCache and MemoryDB (Valkey, Redis OSS) tokens                       */
/* ------------------------------------------------------------------------ */

/** Longest cache or cluster name accepted: a host-name label. */
#define RDSIAM_CACHE_NAME_MAX 63

/**
 * ElastiCache and MemoryDB close an IAM-authenticated connection 12 hours
 * after its last AUTH or HELLO; sending either again with a fresh token
 * before then keeps it open for another 12 hours.
 */
#define RDSIAM_CACHE_SESSION_MAX 43200

/**
 * rdsiam_cache_params - the cache (ElastiCache) or cluster (MemoryDB) to
 * log in to, and as whom.
 *
 * name:     ElastiCache: the serverless cache's name or the replication
 *           group's id; MemoryDB: the cluster's name. Letters, digits and
 *           '-', 1..RDSIAM_CACHE_NAME_MAX; lowercased in the token (the
 *           services store names lowercased). Not the endpoint.
 * username: the IAM-enabled user (ElastiCache: its user id, which must
 *           equal its name); the AUTH command's user. Valid UTF-8,
 *           1..RDSIAM_USERNAME_MAX bytes.
 * region:   e.g. "us-east-1"; NULL only for the provider calls (the
 *           provider's region).
 * serverless: ElastiCache only: non-zero for a serverless cache (the
 *           token then carries ResourceType=ServerlessCache); MUST be 0
 *           for MemoryDB.
 * signing_time: seconds since the Unix epoch, 0 meaning "now".
 */
typedef struct rdsiam_cache_params {
    const char *name;
    const char *username;
    const char *region;
    int serverless;
    int64_t signing_time;
} rdsiam_cache_params;

/**
 * rdsiam_generate_elasticache_token, rdsiam_generate_memorydb_token - the
 * password for AUTH username TOKEN (or HELLO 3 AUTH username TOKEN) to an
 * IAM-enabled ElastiCache or MemoryDB user:
 *   name/?Action=connect&User=...&X-Amz-Algorithm=...&X-Amz-Signature=...
 * a SigV4 presigned GET signed for the service "elasticache" or
 * "memorydb", valid for 15 minutes, byte-identical to what botocore's
 * RequestSigner.generate_presigned_url() gives for the request AWS's
 * documentation builds. Same buffer, size and error rules as
 * rdsiam_generate_token_ex(); bad params give RDSIAM_ERR_RESOURCE_NAME,
 * the username and region codes, or RDSIAM_ERR_INVALID_ARGUMENT
 * (serverless for MemoryDB). Reentrant.
 */
RDSIAM_API int rdsiam_generate_elasticache_token(
    const rdsiam_cache_params *params, const rdsiam_credentials *creds,
    char *buf, size_t bufsize, size_t *needed, rdsiam_error *err);
RDSIAM_API int rdsiam_generate_memorydb_token(const rdsiam_cache_params *params,
                                              const rdsiam_credentials *creds,
                                              char *buf, size_t bufsize,
                                              size_t *needed,
                                              rdsiam_error *err);

/* ------------------------------------------------------------------------ */
/* Amazon MSK (Kafka SASL/OAUTHBEARER) tokens                                */
/* ------------------------------------------------------------------------ */

/** Longest MSK user agent accepted (bytes). */
#define RDSIAM_MSK_USER_AGENT_MAX 256

/**
 * rdsiam_msk_params - an MSK token's region and signer details.
 *
 * region:     the cluster's region; NULL only for the provider call.
 * serverless: non-zero for MSK Serverless (signed for the host
 *             kafka-serverless.REGION.amazonaws.com instead of
 *             kafka.REGION.amazonaws.com).
 * user_agent: NULL for "librdsiam/VERSION"; else printable ASCII,
 *             1..RDSIAM_MSK_USER_AGENT_MAX bytes. Sent unsigned.
 * signing_time: seconds since the Unix epoch, 0 meaning "now".
 */
typedef struct rdsiam_msk_params {
    const char *region;
    int serverless;
    const char *user_agent;
    int64_t signing_time;
} rdsiam_msk_params;

/**
 * rdsiam_generate_msk_token - the OAUTHBEARER token for Amazon MSK IAM
 * access control: the presigned URL
 *   https://kafka.REGION.amazonaws.com/?Action=kafka-cluster%3AConnect&...
 *   &X-Amz-Signature=...&User-Agent=...
 * (service "kafka-cluster", valid for 15 minutes) encoded as base64url
 * without padding, as AWS's aws-msk-iam-sasl-signer libraries make it.
 *
 * @expires_ms optional; receives when the token expires, in milliseconds
 *          since the Unix epoch (X-Amz-Date + 900 s): the md_lifetime_ms
 *          that librdkafka's rd_kafka_oauthbearer_set_token() takes. 0 on
 *          failure.
 * Same buffer, size and error rules as rdsiam_generate_token_ex(); a bad
 * user agent gives RDSIAM_ERR_USER_AGENT. Reentrant.
 */
RDSIAM_API int rdsiam_generate_msk_token(const rdsiam_msk_params *params,
                                         const rdsiam_credentials *creds,
                                         char *buf, size_t bufsize,
                                         size_t *needed, int64_t *expires_ms,
                                         rdsiam_error *err);

/* ------------------------------------------------------------------------ */
/* General SigV4 signing                                                     */
/* ------------------------------------------------------------------------ */

/** One HTTP header, borrowed. Names are compared case-insensitively. */
typedef struct rdsiam_header {
    const char *name;
    const char *value;
} rdsiam_header;

/**
 * rdsiam_sigv4_request - the request to sign, borrowed.
 *
 * method: "GET", "POST", ...
 * path:   the raw path, starting with '/', without the query.
 * query:  the raw query string without '?', or NULL. For signing, %XX
 *         escapes are decoded and each name and value re-encoded; '+' is a
 *         literal plus (signed as %2B), not a space.
 * headers: header_count entries; must include Host.
 * body:   body_len bytes (may be NULL when body_len is 0).
 */
typedef struct rdsiam_sigv4_request {
    const char *method;
    const char *path;
    const char *query;
    const rdsiam_header *headers;
    size_t header_count;
    const unsigned char *body;
    size_t body_len;
} rdsiam_sigv4_request;

/** Flags for rdsiam_sigv4_params.flags. */
#define RDSIAM_SIGV4_NO_NORMALIZE_PATH                                         \
    0x01u /* keep "." and ".." segments, "//" */
#define RDSIAM_SIGV4_NO_DOUBLE_ENCODE 0x02u /* S3 style: encode the path once  \
                                             */
#define RDSIAM_SIGV4_UNSIGNED_PAYLOAD                                          \
    0x04u /* payload hash "UNSIGNED-PAYLOAD" */
#define RDSIAM_SIGV4_OMIT_SESSION_TOKEN 0x08u /* add token after signing */
#define RDSIAM_SIGV4_SIGN_BODY 0x10u /* add x-amz-content-sha256 header */

/**
 * rdsiam_sigv4_params - how to sign.
 *
 * expires_in is used by rdsiam_sigv4_presign() only (1..604800).
 */
typedef struct rdsiam_sigv4_params {
    const char *region;
    const char *service;
    int64_t signing_time;
    int64_t expires_in;
    unsigned int flags;
} rdsiam_sigv4_params;

/**
 * rdsiam_sigv4_result - what signing produced; owned by the caller and
 * released with rdsiam_sigv4_result_free(), which wipes every field.
 *
 * canonical_request, string_to_sign: the intermediate strings, for
 *     debugging and conformance tests (they may contain the session token).
 * signature: 64 lowercase hex digits.
 * amz_date: the X-Amz-Date value, "YYYYMMDDTHHMMSSZ".
 * authorization: header mode only, the Authorization header value.
 * query: presign mode only, the complete signed query string (no '?').
 * payload_hash: the payload hash that was signed (64 hex digits, or
 *     "UNSIGNED-PAYLOAD"); with RDSIAM_SIGV4_SIGN_BODY in header mode the
 *     caller sends it as the x-amz-content-sha256 header.
 */
typedef struct rdsiam_sigv4_result {
    char *canonical_request;
    char *string_to_sign;
    char signature[65];
    char amz_date[17];
    char *authorization;
    char *query;
    char payload_hash[65];
} rdsiam_sigv4_result;

/**
 * rdsiam_sigv4_sign_headers - sign a request with an Authorization header.
 *
 * The caller adds to the request it sends: X-Amz-Date: result->amz_date,
 * X-Amz-Security-Token (when creds has one) and Authorization:
 * result->authorization. x-amz-date and x-amz-security-token are signed
 * headers (the token is not signed with RDSIAM_SIGV4_OMIT_SESSION_TOKEN);
 * with RDSIAM_SIGV4_SIGN_BODY so is x-amz-content-sha256, whose value is
 * result->payload_hash. req->headers must therefore not contain these nor
 * Authorization (RDSIAM_ERR_SIGV4_HEADER). All inputs borrowed; *out is
 * zeroed first and, on success, owned by the caller. Reentrant.
 */
RDSIAM_API int rdsiam_sigv4_sign_headers(const rdsiam_sigv4_request *req,
                                         const rdsiam_sigv4_params *params,
                                         const rdsiam_credentials *creds,
                                         rdsiam_sigv4_result *out,
                                         rdsiam_error *err);

/**
 * rdsiam_sigv4_presign - sign a request in its query string (presigned URL).
 *
 * result->query holds the request's own query string as given, then
 * X-Amz-Algorithm, -Credential, -Date, -SignedHeaders, -Expires,
 * -Security-Token (when creds has one; signed unless
 * RDSIAM_SIGV4_OMIT_SESSION_TOKEN) and -Signature. Every request header is
 * signed. params->expires_in MUST be 1..604800 (RDSIAM_ERR_EXPIRES_RANGE);
 * a query that already has X-Amz-* presigning parameters or a malformed
 * %-escape gives RDSIAM_ERR_SIGV4_QUERY. Reentrant.
 */
RDSIAM_API int rdsiam_sigv4_presign(const rdsiam_sigv4_request *req,
                                    const rdsiam_sigv4_params *params,
                                    const rdsiam_credentials *creds,
                                    rdsiam_sigv4_result *out,
                                    rdsiam_error *err);

/** rdsiam_sigv4_result_free - wipe and free the fields of a result (not the
 * struct). */
RDSIAM_API void rdsiam_sigv4_result_free(rdsiam_sigv4_result *res);

/* ------------------------------------------------------------------------ */
/* Credential providers                                                      */
/* ------------------------------------------------------------------------ */

/**
 * An opaque credential provider. Safe to share between threads, and to use
 * in a child of fork() (cached credentials stay in use; a fetch in flight
 * in the parent is not the child's; the background refresh thread comes
 * back at the child's first call that takes the provider's lock; see
 * rdsiam_provider(3), FORK).
 */
typedef struct rdsiam_provider rdsiam_provider;

/** Flags for rdsiam_provider_options.flags. */
#define RDSIAM_PROVIDER_BACKGROUND_REFRESH                                     \
    0x01u /* refresh on a library thread */

/**
 * rdsiam_provider_options - optional settings for provider constructors.
 * A NULL pointer, or zero fields, mean the defaults.
 *
 * profile: profile name; NULL means AWS_PROFILE, AWS_DEFAULT_PROFILE,
 *          "default". An explicit profile means that profile only.
 * region:  the provider's region (copied). Tokens whose params.region is
 *          NULL are signed for it, and the sources that call STS (assumed
 *          roles, web identity) call it there, as botocore calls STS in
 *          the region of the client needing the credentials. NULL means
 *          AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region`:
 *          for tokens resolved once, on first need, and kept for the
 *          provider's life (none: RDSIAM_ERR_NO_REGION unless
 *          params.region is set); for STS at each fetch (none: STS's
 *          global endpoint).
 * flags:   RDSIAM_PROVIDER_*.
 * refresh_before: seconds before expiry at which cached credentials are
 *          refreshed (default 900 + 60: a token signed at any moment stays
 *          valid its full 15 minutes); 0..86400. Credentials that arrive
 *          with less life left than this are reused for min(60 s, half
 *          their remaining life) between fetches.
 * timeout_ms: per-request limit for HTTP and credential_process (default
 *          HTTP 2000, process 60000).
 */
typedef struct rdsiam_provider_options {
    const char *profile;
    unsigned int flags;
    int64_t refresh_before;
    long timeout_ms;
    const char *region;
} rdsiam_provider_options;

/**
 * Constructors. Each returns RDSIAM_OK and a provider owned by the caller
 * in *out (release with rdsiam_provider_free()), or an error and *out NULL.
 * Creating a provider reads nothing yet: sources are read on first use
 * (with RDSIAM_PROVIDER_BACKGROUND_REFRESH, a library thread starts and
 * fetches at once). opts is borrowed (strings are copied). Thread-safe.
 *
 * Caching: credentials with an expiration are refreshed refresh_before
 * seconds ahead of it; expired credentials are never handed out.
 * Credentials without an expiration (static keys in the environment or a
 * profile) are kept until rdsiam_provider_refresh(). Each fetch of a chain
 * starts again from its first source.
 *
 * Failures: at most one fetch runs at a time, and callers with nothing
 * usable share it (they wait for it and get its result). A failed fetch is
 * remembered: the next one waits 1, 2, 4 ... up to 60 s after consecutive
 * failures, less a random 0 to 25 % (jitter), and a success starts the
 * count again. Meanwhile still-valid credentials stay in use, and a caller
 * with nothing usable gets the remembered error at once, its message
 * ending "(remembered; next attempt in N s)", so a failing source sees
 * one fetch per wait however many threads ask. Only
 * rdsiam_provider_refresh() fetches before the wait is over. Errors in a
 * caller's own arguments are found before any fetch and never remembered.
 *
 * rdsiam_provider_new_default: botocore's chain (the AWS CLI's): the
 *     environment; the profile's assumed role (role_arn with source_profile
 *     or credential_source, through STS); web identity (environment or
 *     profile); the profile's IAM Identity Center (SSO) settings; the
 *     profile's static keys in the credentials file; its login_session (`aws
 *     login`); its credential_process;
 *     its static keys in the config file; container endpoints; EC2 instance
 *     metadata. An explicit opts->profile drops the environment source (not
 *     AWS_PROFILE). Cached. See rdsiam_provider(3) for each source.
 * rdsiam_provider_new_static: fixed credentials (copied).
 * rdsiam_provider_new_environment: AWS_ACCESS_KEY_ID etc.
 * rdsiam_provider_new_profile: what one profile configures (assumed role,
 *     web identity, SSO, static keys, login_session, credential_process),
 *     in that order.
 * rdsiam_provider_new_container: ECS / EKS Pod Identity endpoints.
 */
RDSIAM_API int rdsiam_provider_new_default(rdsiam_provider **out,
                                           const rdsiam_provider_options *opts,
                                           rdsiam_error *err);
RDSIAM_API int rdsiam_provider_new_static(rdsiam_provider **out,
                                          const rdsiam_credentials *creds,
                                          rdsiam_error *err);
RDSIAM_API int rdsiam_provider_new_environment(rdsiam_provider **out,
                                               rdsiam_error *err);
RDSIAM_API int rdsiam_provider_new_profile(rdsiam_provider **out,
                                           const rdsiam_provider_options *opts,
                                           rdsiam_error *err);
RDSIAM_API int
rdsiam_provider_new_container(rdsiam_provider **out,
                              const rdsiam_provider_options *opts,
                              rdsiam_error *err);

/**
 * rdsiam_provider_free - stop and join any refresh thread (a fetch in
 * flight is waited for; it is bounded by timeout_ms), wipe the cached
 * credentials and free. NULL is fine. No other thread may be using p.
 * In a child of fork() it returns as well (a parent's thread is not
 * joined). Free every provider before the library is unloaded.
 */
RDSIAM_API void rdsiam_provider_free(rdsiam_provider *p);

/**
 * rdsiam_credentials_ref - credentials owned by the library: an immutable,
 * reference-counted snapshot of a provider's cache. The caller holds one
 * reference and reads it with rdsiam_credentials_ref_get(); the library
 * wipes the snapshot when the last reference (the cache's or a caller's)
 * is released. A caller's own rdsiam_credentials are never freed by the
 * library.
 */
typedef struct rdsiam_credentials_ref rdsiam_credentials_ref;

/**
 * rdsiam_credentials_ref_get - the credentials a reference holds; valid
 * until rdsiam_credentials_ref_free(ref). expiration 0 means they do not
 * expire. Never NULL for a non-NULL ref. Thread-safe (read-only).
 */
RDSIAM_API const rdsiam_credentials *
rdsiam_credentials_ref_get(const rdsiam_credentials_ref *ref);

/**
 * rdsiam_credentials_ref_free - release a reference (the credentials are
 * wiped when no reference is left). NULL is fine. Thread-safe.
 */
RDSIAM_API void rdsiam_credentials_ref_free(rdsiam_credentials_ref *ref);

/**
 * rdsiam_provider_get_credentials - current credentials, refreshed if due.
 *
 * On success *out is a reference owned by the caller: read it with
 * rdsiam_credentials_ref_get(), release it with
 * rdsiam_credentials_ref_free(); on failure *out is NULL. Blocks only to
 * fetch: when nothing usable is cached (waiting for a fetch another thread
 * started, if any, and returning its result), or when the cached
 * credentials are due for refresh and no other thread (or background
 * thread) is refreshing them; a refresh that fails then still returns the
 * valid cached credentials. Threads that find a refresh in flight use the
 * still-valid cached credentials at once. With nothing usable cached and
 * a failed fetch remembered (see the constructors: backoff), returns that
 * error at once without fetching. Thread-safe.
 */
RDSIAM_API int rdsiam_provider_get_credentials(rdsiam_provider *p,
                                               rdsiam_credentials_ref **out,
                                               rdsiam_error *err);

/**
 * rdsiam_provider_get_cached - cached credentials without ever blocking.
 *
 * Never fetches and never waits for a fetch (it only takes a lock that
 * is held for pointer swaps, never across I/O). Returns the cached
 * credentials while they have not expired, even when they are due for
 * refresh; RDSIAM_ERR_WOULD_BLOCK when nothing usable is cached. *out as
 * for rdsiam_provider_get_credentials(). For event loops: pair it with
 * RDSIAM_PROVIDER_BACKGROUND_REFRESH, or call rdsiam_provider_refresh()
 * from a worker when rdsiam_provider_refresh_due() says so. Thread-safe.
 */
RDSIAM_API int rdsiam_provider_get_cached(rdsiam_provider *p,
                                          rdsiam_credentials_ref **out,
                                          rdsiam_error *err);

/**
 * rdsiam_provider_refresh - fetch new credentials now (blocking).
 *
 * Fetches at once, even while a failure is remembered and the backoff has
 * not run out (it is the one call that does): call it when something has
 * changed, not in a loop. When a fetch is already in flight, waits for it
 * and returns its result instead of starting another. On failure the
 * error is returned (the source's own message), the cached credentials,
 * if still valid, stay in use, and the failure counts towards the backoff
 * like any other; a success ends the backoff. Thread-safe.
 */
RDSIAM_API int rdsiam_provider_refresh(rdsiam_provider *p, rdsiam_error *err);

/**
 * rdsiam_provider_refresh_due - seconds since the epoch at which the cached
 * credentials should be refreshed (pushed back by the backoff after a
 * failed refresh); when nothing is cached, 0, or after a failed fetch the
 * time of the next attempt; INT64_MAX when they never expire. Never
 * blocks. Thread-safe.
 */
RDSIAM_API int64_t rdsiam_provider_refresh_due(rdsiam_provider *p);

/**
 * rdsiam_provider_generate_token - sign a token with the provider's
 * credentials (refreshed if due, with the same blocking rules as
 * rdsiam_provider_get_credentials()). Signs with the cached credentials
 * in place, without copying them. Same buffer rules as
 * rdsiam_generate_token_ex(). params->region NULL means the provider's
 * region (rdsiam_provider_options.region, else AWS_REGION,
 * AWS_DEFAULT_REGION, then the profile's `region`: resolved on first need
 * and kept; RDSIAM_ERR_NO_REGION when none is configured). Thread-safe.
 */
RDSIAM_API int rdsiam_provider_generate_token(rdsiam_provider *p,
                                              const rdsiam_token_params *params,
                                              char *buf, size_t bufsize,
                                              size_t *needed,
                                              rdsiam_error *err);

/** Size of rdsiam_token_info.source, including the terminating NUL. */
#define RDSIAM_SOURCE_NAME_SIZE 32

/**
 * rdsiam_token_info - what rdsiam_provider_generate_token_info() says
 * about the token it signed. Owned by the caller; filled by the call
 * (zeroed on failure).
 *
 * signing_time: the token's X-Amz-Date, seconds since the epoch.
 * expires:  when the token stops working: the earlier of signing_time +
 *           RDSIAM_TOKEN_LIFETIME and the signing credentials' expiration.
 * credentials_expiration: when the signing credentials expire; 0 when
 *           they do not.
 * source:   the name of the credential source that gave them:
 *           "environment", "assume role", "web identity", "sso", "shared
 *           credentials file", "credential_process", "config file",
 *           "container", "instance metadata"; "static credentials" for
 *           rdsiam_provider_new_static(). NUL-terminated.
 */
typedef struct rdsiam_token_info {
    int64_t signing_time;
    int64_t expires;
    int64_t credentials_expiration;
    char source[RDSIAM_SOURCE_NAME_SIZE];
} rdsiam_token_info;

/**
 * rdsiam_provider_generate_token_info - rdsiam_provider_generate_token(),
 * also saying when the token stops working and which credential source
 * signed it.
 *
 * A token is valid for 15 minutes or until the credentials that signed it
 * expire, whichever comes first. The provider refreshes credentials
 * refresh_before seconds ahead of their expiry, so expires is normally
 * signing_time + 900; it is earlier when the only credentials to be had
 * expire sooner (a caller's short-lived keys, a metadata service serving
 * stale credentials).
 *
 * @info    caller-owned, required; see rdsiam_token_info.
 * Everything else, and the buffer, blocking and error rules, as
 * rdsiam_provider_generate_token(). Thread-safe.
 */
RDSIAM_API int rdsiam_provider_generate_token_info(
    rdsiam_provider *p, const rdsiam_token_params *params, char *buf,
    size_t bufsize, size_t *needed, rdsiam_token_info *info, rdsiam_error *err);

/**
 * rdsiam_credentials_ref_source - the name of the credential source that
 * gave the credentials ref holds (see rdsiam_token_info.source); valid as
 * long as ref. "" for NULL. Thread-safe (read-only).
 */
RDSIAM_API const char *
rdsiam_credentials_ref_source(const rdsiam_credentials_ref *ref);

/**
 * rdsiam_provider_explain - why the provider's last fetch passed over the
 * sources it tried before the one that answered (or before it failed):
 * one line per source, in the chain's order, "NAME: REASON\n", the reason
 * being what the no-credentials error says of it. "" before the first
 * fetch, when the first source answered, and for providers of one source.
 *
 * @buf, @bufsize, @needed as rdsiam_generate_token_ex() (the text is
 *          never cut: RDSIAM_ERR_BUFFER_TOO_SMALL reports the size needed).
 * The text names variables, files and profiles, never a secret.
 * Thread-safe; never blocks on a fetch.
 */
RDSIAM_API int rdsiam_provider_explain(rdsiam_provider *p, char *buf,
                                       size_t bufsize, size_t *needed,
                                       rdsiam_error *err);

/**
 * rdsiam_connect_token - the one call for short programs: a token for
 * params, signed with credentials from the default chain.
 *
 * A thin wrapper: checks params (rdsiam_token_params_check()), creates a
 * default provider with opts (rdsiam_provider_new_default()), signs with
 * rdsiam_provider_generate_token() (params->region NULL: resolved as the
 * provider does) and frees the provider. Long-running programs should keep
 * a provider instead, so credentials are cached and refreshed.
 *
 * @params  borrowed; see rdsiam_token_params.
 * @opts    borrowed, may be NULL: see rdsiam_provider_options.
 * @out     receives the token, owned by the caller; free it with
 *          rdsiam_token_free(), which wipes it. NULL on failure.
 * Thread-safe.
 */
RDSIAM_API int rdsiam_connect_token(const rdsiam_token_params *params,
                                    const rdsiam_provider_options *opts,
                                    char **out, rdsiam_error *err);

/**
 * rdsiam_provider_generate_elasticache_token,
 * rdsiam_provider_generate_memorydb_token, rdsiam_provider_generate_msk_token
 * - rdsiam_generate_elasticache_token(), rdsiam_generate_memorydb_token()
 * and rdsiam_generate_msk_token() signed with the provider's credentials,
 * with the blocking, caching and region rules of
 * rdsiam_provider_generate_token() (params->region NULL: the provider's
 * region). params are checked before any region lookup or credential
 * fetch. Thread-safe.
 */
RDSIAM_API int rdsiam_provider_generate_elasticache_token(
    rdsiam_provider *p, const rdsiam_cache_params *params, char *buf,
    size_t bufsize, size_t *needed, rdsiam_error *err);
RDSIAM_API int rdsiam_provider_generate_memorydb_token(
    rdsiam_provider *p, const rdsiam_cache_params *params, char *buf,
    size_t bufsize, size_t *needed, rdsiam_error *err);
RDSIAM_API int rdsiam_provider_generate_msk_token(
    rdsiam_provider *p, const rdsiam_msk_params *params, char *buf,
    size_t bufsize, size_t *needed, int64_t *expires_ms, rdsiam_error *err);

/* ------------------------------------------------------------------------ */
/* Token verification (for emulators, tests and proxies that hold the keys)  */
/* ------------------------------------------------------------------------ */

/** An opaque set of access keys a verifier accepts. Immutable once loaded. */
typedef struct rdsiam_keystore rdsiam_keystore;

/**
 * rdsiam_keystore_load - read the keys a verifier accepts from a file.
 *
 * One key per line: ACCESS_KEY_ID SECRET_ACCESS_KEY [SESSION_TOKEN];
 * '#' starts a comment line; blank lines are ignored. When a session token
 * is given, tokens signed with that key must carry exactly it; without
 * one, tokens carrying a session token are refused. Fields are separated
 * by spaces or tabs.
 * @out receives a keystore owned by the caller (rdsiam_keystore_free()).
 * Returns RDSIAM_ERR_FILE_IO (unreadable), RDSIAM_ERR_KEYFILE (malformed
 * line, duplicate key id, no key at all). Errors name the file and line,
 * never a key. Thread-safe.
 */
RDSIAM_API int rdsiam_keystore_load(const char *path, rdsiam_keystore **out,
                                    rdsiam_error *err);

/** rdsiam_keystore_free - wipe and free. NULL is fine. */
RDSIAM_API void rdsiam_keystore_free(rdsiam_keystore *ks);

/**
 * rdsiam_verify_params - what the server expects of a token.
 *
 * hostname, port: the server's own endpoint (compared with the signed host).
 * region: the server's region.
 * username: the login user; must equal DBUser.
 * now: seconds since the epoch, 0 meaning the current time.
 * max_future: seconds a token may be dated ahead of now (0 means 300).
 */
typedef struct rdsiam_verify_params {
    const char *hostname;
    unsigned int port;
    const char *region;
    const char *username;
    int64_t now;
    int64_t max_future;
} rdsiam_verify_params;

/**
 * rdsiam_verify_token - check an RDS token as the RDS server does.
 *
 * Parses the token strictly, recomputes its signature with the secret the
 * keystore holds for its access key id, and accepts only when it matches,
 * the service is rds-db, Action=connect, region and host:port are the
 * server's, DBUser is the login user, X-Amz-Date is no older than
 * X-Amz-Expires (at most 900) and not more than max_future ahead, and any
 * session token the key requires is present and equal (a token carrying a
 * session token for a key that has none is refused too, as STS does).
 * Host names compare case-insensitively (they are signed lowercased).
 *
 * @token     borrowed, token_len bytes (need not be NUL-terminated).
 * @ks        borrowed; may be shared by any number of threads.
 * Returns RDSIAM_OK or the code of the first failed check, in this order:
 * RDSIAM_ERR_TOKEN_MALFORMED (syntax, parameters, formats), _ACTION,
 * _SERVICE, _REGION, _HOST, _USER, _EXPIRED, _FUTURE, _UNKNOWN_KEY,
 * _SESSION, _SIGNATURE; invalid params give the field's own code.
 * err->message says why, never quoting the token or a secret. Thread-safe.
 */
RDSIAM_API int rdsiam_verify_token(const char *token, size_t token_len,
                                   const rdsiam_verify_params *params,
                                   const rdsiam_keystore *ks,
                                   rdsiam_error *err);

/** The services rdsiam_verify_service_token() checks tokens for. */
typedef enum rdsiam_service {
    RDSIAM_SERVICE_ELASTICACHE = 1,
    RDSIAM_SERVICE_MEMORYDB = 2,
    RDSIAM_SERVICE_MSK = 3
} rdsiam_service;

/**
 * rdsiam_verify_service_params - what an ElastiCache, MemoryDB or MSK
 * server expects of a token.
 *
 * service:  which of them.
 * name:     ElastiCache: the cache's name (replication group id or
 *           serverless cache name); MemoryDB: the cluster's name;
 *           compared case-insensitively. NULL for MSK.
 * username: ElastiCache, MemoryDB: the AUTH user; must equal User. NULL
 *           for MSK.
 * region:   the server's region.
 * serverless: ElastiCache: the cache is serverless (the token must carry
 *           ResourceType=ServerlessCache, and must not otherwise); MSK:
 *           MSK Serverless (the signed host is kafka-serverless.REGION...).
 * now, max_future: as in rdsiam_verify_params.
 */
typedef struct rdsiam_verify_service_params {
    rdsiam_service service;
    const char *name;
    const char *username;
    const char *region;
    int serverless;
    int64_t now;
    int64_t max_future;
} rdsiam_verify_service_params;

/**
 * rdsiam_verify_service_token - check an ElastiCache, MemoryDB or MSK
 * token as the service does.
 *
 * The rules of rdsiam_verify_token(), for these tokens: ElastiCache and
 * MemoryDB tokens are "name/?Action=connect&User=...[&ResourceType=
 * ServerlessCache]&X-Amz-..." signed for "elasticache" or "memorydb";
 * MSK tokens are base64url (no padding) of "https://kafka[-serverless]
 * .REGION.amazonaws.com/?Action=kafka-cluster%3AConnect&X-Amz-..." signed
 * for "kafka-cluster", with an unsigned User-Agent parameter allowed
 * anywhere in the query. Returns RDSIAM_OK or the code of the first
 * failed check, in rdsiam_verify_token()'s order (a name or resource type
 * that is not the server's gives RDSIAM_ERR_TOKEN_HOST). Thread-safe.
 */
RDSIAM_API int
rdsiam_verify_service_token(const char *token, size_t token_len,
                            const rdsiam_verify_service_params *params,
                            const rdsiam_keystore *ks, rdsiam_error *err);

#ifdef __cplusplus
}
#endif

#endif /* RDSIAM_H */
