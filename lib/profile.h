/*
 * profile.h - the AWS shared config and credentials file parser
 * (internal). profile.c reads the files; provider_profile.c turns a
 * profile into credentials.
 *
 * Format: the AWS configuration-file format as the shared conformance data
 * (profile-parser-tests.json) defines it. Property names are lower-cased
 * (as botocore and the Rust SDK do); profile names are case-sensitive.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_PROFILE_H
#define RDSIAM_PROFILE_H

#include "internal.h"

/* Hard limits. A file beyond them is reported as malformed. */
#define RDSIAM__PROFILE_FILE_MAX ((size_t)1 << 20)   /* bytes per file */
#define RDSIAM__PROFILE_LINE_MAX ((size_t)32 * 1024) /* bytes per line */
#define RDSIAM__PROFILE_SECTIONS_MAX 16384u /* section lines per file */
#define RDSIAM__PROFILE_PROFILES_MAX 4096u  /* distinct profiles */
#define RDSIAM__PROFILE_PROPS_MAX 512u      /* properties per profile */

/* Which file a section or property came from. */
typedef enum rdsiam__profile_file {
    RDSIAM__PROFILE_CONFIG = 0,
    RDSIAM__PROFILE_CREDENTIALS = 1
} rdsiam__profile_file;

typedef struct rdsiam__profile_prop {
    char *key;            /* lower-cased */
    rdsiam__buf value;    /* may hold a secret: wiped when freed */
    unsigned char origin; /* rdsiam__profile_file of the last definition */
    unsigned char sub;    /* defined empty: continuations are sub-properties */
} rdsiam__profile_prop;

typedef struct rdsiam__profile {
    char *name;
    rdsiam__profile_prop *props;
    size_t nprops, cap;
} rdsiam__profile;

typedef struct rdsiam__profile_list {
    rdsiam__profile *items;
    size_t n, cap;
} rdsiam__profile_list;

/* Everything the files hold: profiles (merged across files, later files
 * winning per property), and the config file's [sso-session NAME] and
 * [services NAME] sections (a services section's properties are service
 * ids, "sts", "sso_oidc", each a block of sub-properties such as
 * endpoint_url: rdsiam__profile_sub_get). */
typedef struct rdsiam__profile_set {
    rdsiam__profile_list profiles;
    rdsiam__profile_list sso_sessions;
    rdsiam__profile_list services;
} rdsiam__profile_set;

/* An empty set (all zero is also empty). */
void rdsiam__profile_set_init(rdsiam__profile_set *set);
/* Wipe every value and free everything; the set is empty afterwards. */
void rdsiam__profile_set_free(rdsiam__profile_set *set);

/*
 * Parse len bytes of text as a config or credentials file and merge the
 * result into set (a property defined again replaces the earlier value).
 * filename is only used in error messages. On a syntax error returns
 * RDSIAM_ERR_CONFIG_PARSE with "<what> (<filename>, line <n>)" in err;
 * the set then holds whatever was merged before the failing line and
 * should be freed. Never copies a value into err.
 */
int rdsiam__profile_parse(rdsiam__profile_set *set, const char *text,
                          size_t len, rdsiam__profile_file kind,
                          const char *filename, rdsiam_error *err);

/*
 * Read and parse one file into set. A file that does not exist is not an
 * error: *found becomes false. Larger than RDSIAM__PROFILE_FILE_MAX, or
 * unreadable: an error naming the file. The read buffer is wiped.
 */
int rdsiam__profile_load_file(rdsiam__profile_set *set, const char *path,
                              rdsiam__profile_file kind, bool *found,
                              rdsiam_error *err);

/* Profile by exact name, or NULL. */
const rdsiam__profile *rdsiam__profile_find(const rdsiam__profile_set *set,
                                            const char *name);
const rdsiam__profile *rdsiam__profile_find_sso(const rdsiam__profile_set *set,
                                                const char *name);
const rdsiam__profile *
rdsiam__profile_find_services(const rdsiam__profile_set *set, const char *name);
/* Property by name (matched case-insensitively), or NULL. */
const rdsiam__profile_prop *rdsiam__profile_prop_get(const rdsiam__profile *p,
                                                     const char *key);
/* Its value, or NULL. */
const char *rdsiam__profile_get(const rdsiam__profile *p, const char *key);

/*
 * A sub-property of prop (a property defined empty, its indented
 * continuation lines "name = value"), read as botocore's _parse_nested
 * reads them: the name matched exactly (botocore does not lower-case
 * sub-property names), the value trimmed, the last definition winning.
 * Returns true and *value (borrowed from prop, not NUL-terminated) and *n
 * when found; false when prop is NULL, takes no sub-properties or has no
 * such name.
 */
bool rdsiam__profile_sub_get(const rdsiam__profile_prop *prop, const char *key,
                             const char **value, size_t *n);

/*
 * Where the files are (file-location-tests.json):
 *   config:      AWS_CONFIG_FILE, else ~/.aws/config
 *   credentials: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials
 * "~" is expanded only as the whole first path segment ("~" or "~/...").
 * Home: HOME; on Windows then USERPROFILE, then HOMEDRIVE+HOMEPATH; on
 * POSIX without HOME, the password database. windows selects the Windows
 * rules and the '\' separator (used by the conformance runner; the
 * library itself passes false). Both outputs are allocated (free()); a
 * path that needs a home that cannot be found is NULL (no such file).
 */
int rdsiam__profile_paths(bool windows, char **config, char **credentials,
                          rdsiam_error *err);

/* explicit_name if non-NULL, else AWS_PROFILE, else AWS_DEFAULT_PROFILE
 * (each when set and non-empty), else "default". *from_env is set when
 * the name came from a variable. The pointer is borrowed (the argument,
 * the environment, or a literal). */
const char *rdsiam__profile_selected(const char *explicit_name, bool *from_env);

/*
 * Load both files as the SDKs find them: config first, then credentials
 * merged over it. *paths_out (optional) receives "<config>, <credentials>"
 * for messages (allocated; free()). *any_found: at least one file exists.
 */
int rdsiam__profile_load(rdsiam__profile_set *set, bool *any_found,
                         char **paths_out, rdsiam_error *err);

/*
 * Profile look-up for settings other than credentials (e.g. "region").
 * profile NULL: the profile the environment selects (AWS_PROFILE,
 * AWS_DEFAULT_PROFILE, "default"). *value receives an allocated copy
 * (free()), or NULL when the key, the profile or the files are absent
 * (that is not an error); *found (optional) tells whether the profile
 * exists. Errors are for files that exist but cannot be read or parsed.
 */
int rdsiam__profile_setting(const char *profile, const char *key, char **value,
                            bool *found, rdsiam_error *err);

#endif /* RDSIAM_PROFILE_H */
