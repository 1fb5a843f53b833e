/*
 * config.c - several databases in one process and one file: the
 * --config file, read with the library's own parser of the AWS shared
 * files (lib/profile.c), as a credentials-style file.
 *
 *     [rdsiam-token]             # optional: the run's settings
 *     output = /etc/pgbouncer/rds-databases.ini
 *     format = pgbouncer
 *     every = 10m
 *     then = kill -HUP $(cat /run/postgresql/pgbouncer.pid)
 *     region = us-east-1
 *     profile = pooler
 *
 *     [app]                      # one section per database, in file order
 *     hostname = app.cluster-abc.us-east-1.rds.amazonaws.com
 *     port = 5432
 *     username = app_user
 *     dbname = app               # optional: default the section's name
 *     region = us-east-1         # optional: default the run's
 *
 * The line rules are the AWS files' (comments start with '#' or ';', at
 * the start of a line or after a blank), so the file reads like
 * ~/.aws/credentials. A section names a database: ElastiCache, MemoryDB
 * and MSK tokens are for the command line (see is_service). Section
 * names are letters, digits, '_', '.' and '-' (a PgBouncer 1.18 key and a
 * MySQL option group can hold no more); a section with another name, or
 * a setting this tool does not know, is an error rather than silently
 * skipped.
 *
 * This file, alone in lib/cli/, uses the library's internals: the parser
 * (profile.h), its file reader (file.h) and buffer. The tool links them
 * from librdsiam.a, or compiles them in when it links the shared library,
 * which does not export them (tests/check-layout.sh checks both).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "file.h"
#include "format.h"
#include "profile.h"

#define SETTINGS "rdsiam-token"

int cli_job_from_args(const cli_args *a, cli_job *job)
{
    memset(job, 0, sizeof *job);
    job->dbs = calloc(1, sizeof *job->dbs);
    if (!job->dbs)
        return -1;
    job->n = 1;
    job->dbs[0].name = a->dbname;
    job->dbs[0].params = a->params;
    job->dbs[0].dbname = a->dbname;
    job->output = a->output;
    job->then = a->then;
    job->format = a->format;
    job->every = a->every;
    job->popts = a->popts;
    return 0;
}

void cli_job_free(cli_job *job)
{
    if (job->store) {
        rdsiam__profile_set_free(job->store);
        free(job->store);
    }
    free(job->dbs);
    memset(job, 0, sizeof *job);
}

/*
 * The parser ignores sections whose names it cannot take ("[my db]",
 * "[profile x]" in a credentials-style file), and their settings with
 * them. Here that would drop a database unnoticed, so every section line
 * must name a section the parser kept: the same line rules as
 * profile.c's parse_section (a comment from the first '#' or ';', the
 * name trimmed, up to the first ']').
 */
static int check_sections(const char *text, size_t len,
                          const rdsiam__profile_set *set, const char *path,
                          char *msg, size_t msgsize)
{
    unsigned long line = 1;
    size_t i = 0;

    while (i < len) {
        size_t end = i, s, e;

        while (end < len && text[end] != '\n')
            end++;
        for (s = i; s < end && (text[s] == ' ' || text[s] == '\t'); s++)
            ;
        if (s < end && text[s] == '[') {
            char name[128];
            for (e = ++s;
                 e < end && text[e] != ']' && text[e] != '#' && text[e] != ';';
                 e++)
                ;
            while (s < e && (text[s] == ' ' || text[s] == '\t'))
                s++;
            while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t'))
                e--;
            if (e - s >= sizeof name) {
                snprintf(msg, msgsize, "%s, line %lu: section name too long",
                         path, line);
                return -1;
            }
            memcpy(name, text + s, e - s);
            name[e - s] = '\0';
            if (!rdsiam__profile_find(set, name) || !cli_plain_name(name)) {
                snprintf(msg, msgsize,
                         "%s, line %lu: a section name is letters, digits, "
                         "'_', '.' and '-'",
                         path, line);
                return -1;
            }
        }
        i = end + 1;
        line++;
    }
    return 0;
}

/* The command line's service flags, which a section cannot hold: each
 * service token is one token written raw or as json, which the command
 * line says in full, while a file of databases is for the formats that
 * hold several (pgpass, pgbouncer, mycnf), which hold no service token. */
static int is_service(const char *key)
{
    static const char *const keys[] = {"elasticache", "memorydb", "msk",
                                       "serverless", "user-agent"};

    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0)
            return 1;
    return 0;
}

/* Every key of p is one of keys[]. */
static int known_keys(const rdsiam__profile *p, const char *const *keys,
                      const char *path, char *msg, size_t msgsize)
{
    for (size_t i = 0; i < p->nprops; i++) {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], p->props[i].key) != 0)
            k++;
        if (!keys[k] && is_service(p->props[i].key)) {
            snprintf(msg, msgsize,
                     "%s: [%s]: %s: a config file lists databases; "
                     "ElastiCache, MemoryDB and MSK tokens are asked for on "
                     "the command line",
                     path, p->name, p->props[i].key);
            return -1;
        }
        if (!keys[k]) {
            snprintf(msg, msgsize, "%s: [%s]: unknown setting %s", path,
                     p->name, p->props[i].key);
            return -1;
        }
    }
    return 0;
}

/* A setting that is set must not be empty. */
static const char *value(const rdsiam__profile *p, const char *key,
                         const char *path, char *msg, size_t msgsize, int *bad)
{
    const char *v = rdsiam__profile_get(p, key);

    if (v && !*v) {
        snprintf(msg, msgsize, "%s: [%s]: %s is empty", path, p->name, key);
        *bad = 1;
    }
    return v;
}

/* [rdsiam-token]: the run's settings, each unless the command line set
 * it. */
static int settings(const rdsiam__profile *p, const cli_args *a, cli_job *job,
                    const char *path, char *msg, size_t msgsize)
{
    static const char *const keys[] = {"output", "format",  "every", "then",
                                       "region", "profile", NULL};
    const char *v;
    int bad = 0;

    if (known_keys(p, keys, path, msg, msgsize) != 0)
        return -1;
    if (!a->output)
        job->output = value(p, "output", path, msg, msgsize, &bad);
    if (!a->then)
        job->then = value(p, "then", path, msg, msgsize, &bad);
    if (!a->popts.region)
        job->popts.region = value(p, "region", path, msg, msgsize, &bad);
    if (!a->popts.profile)
        job->popts.profile = value(p, "profile", path, msg, msgsize, &bad);
    v = value(p, "format", path, msg, msgsize, &bad);
    if (!bad && v && !a->format_set && cli_format_parse(v, &job->format)) {
        snprintf(msg, msgsize,
                 "%s: [%s]: format must be raw, pgpass, pgbouncer, mycnf or "
                 "json",
                 path, p->name);
        return -1;
    }
    v = value(p, "every", path, msg, msgsize, &bad);
    if (!bad && v && !a->every && cli_every_parse(v, &job->every)) {
        snprintf(msg, msgsize,
                 "%s: [%s]: every must be seconds (1 to 86400), or minutes "
                 "or hours written 10m or 1h",
                 path, p->name);
        return -1;
    }
    return bad ? -1 : 0;
}

/* A [NAME] section: one database. */
static int database(const rdsiam__profile *p, cli_db *db, const char *path,
                    char *msg, size_t msgsize)
{
    static const char *const keys[] = {"hostname", "port",   "username",
                                       "dbname",   "region", NULL};
    const char *port;
    int bad = 0;

    if (known_keys(p, keys, path, msg, msgsize) != 0)
        return -1;
    db->name = p->name;
    db->params.hostname = value(p, "hostname", path, msg, msgsize, &bad);
    db->params.username = value(p, "username", path, msg, msgsize, &bad);
    db->params.region = value(p, "region", path, msg, msgsize, &bad);
    db->dbname = value(p, "dbname", path, msg, msgsize, &bad);
    port = value(p, "port", path, msg, msgsize, &bad);
    if (bad)
        return -1;
    if (!db->params.hostname || !port || !db->params.username) {
        snprintf(msg, msgsize,
                 "%s: [%s]: hostname, port and username are "
                 "required",
                 path, p->name);
        return -1;
    }
    if (cli_port_parse(port, &db->params.port) != 0) {
        snprintf(msg, msgsize,
                 "%s: [%s]: port must be a number from 1 to 65535", path,
                 p->name);
        return -1;
    }
    return 0;
}

static int read_set(const char *path, rdsiam__profile_set *set, char *msg,
                    size_t msgsize)
{
    rdsiam__buf text;
    rdsiam_error err;
    int rc;

    rdsiam__buf_init(&text, RDSIAM__PROFILE_FILE_MAX);
    rc = rdsiam__file_read(path, path, RDSIAM__PROFILE_FILE_MAX,
                           RDSIAM_ERR_CONFIG_PARSE, 0, &text, NULL, &err);
    if (rc == RDSIAM_OK)
        rc = rdsiam__profile_parse(set, text.data ? text.data : "", text.len,
                                   RDSIAM__PROFILE_CREDENTIALS, path, &err);
    if (rc != RDSIAM_OK)
        snprintf(msg, msgsize, "%s", err.message);
    else if (check_sections(text.data ? text.data : "", text.len, set, path,
                            msg, msgsize) != 0)
        rc = RDSIAM_ERR_CONFIG_PARSE;
    rdsiam__buf_free(&text);
    return rc == RDSIAM_OK ? 0 : -1;
}

int cli_job_from_config(const cli_args *a, cli_job *job, char *msg,
                        size_t msgsize)
{
    rdsiam__profile_set *set = calloc(1, sizeof *set);
    const rdsiam__profile_list *l;

    memset(job, 0, sizeof *job);
    if (!set) {
        snprintf(msg, msgsize, "out of memory reading %s", a->config);
        return -1;
    }
    rdsiam__profile_set_init(set);
    job->store = set;
    job->output = a->output;
    job->then = a->then;
    job->format = a->format;
    job->every = a->every;
    job->popts = a->popts;
    if (read_set(a->config, set, msg, msgsize) != 0)
        return -1;
    l = &set->profiles;
    job->dbs = calloc(l->n ? l->n : 1, sizeof *job->dbs);
    if (!job->dbs) {
        snprintf(msg, msgsize, "out of memory reading %s", a->config);
        return -1;
    }
    for (size_t i = 0; i < l->n; i++) {
        int rc = strcmp(l->items[i].name, SETTINGS) == 0
                     ? settings(&l->items[i], a, job, a->config, msg, msgsize)
                     : database(&l->items[i], &job->dbs[job->n++], a->config,
                                msg, msgsize);
        if (rc != 0)
            return -1;
    }
    if (job->n == 0 || job->n > CLI_DB_MAX) {
        snprintf(msg, msgsize, "%s: %s", a->config,
                 job->n ? "more than 256 databases"
                        : "no database: add a section such as [app] with "
                          "hostname, port and username");
        return -1;
    }
    return 0;
}

int cli_bare_profile_section(const char *name)
{
    rdsiam__profile_set set;
    rdsiam_error err;
    char *config = NULL, *credentials = NULL;
    bool found = false;
    int hit = 0;

    rdsiam__profile_set_init(&set);
    /* Read as a credentials-style file, the config file's [dev] is a
     * section named "dev", which the config-file rules drop. */
    if (rdsiam__profile_paths(false, &config, &credentials, &err) ==
            RDSIAM_OK &&
        config &&
        rdsiam__profile_load_file(&set, config, RDSIAM__PROFILE_CREDENTIALS,
                                  &found, &err) == RDSIAM_OK)
        hit = found && rdsiam__profile_find(&set, name) != NULL;
    rdsiam__profile_set_free(&set);
    free(config);
    free(credentials);
    return hit;
}

int cli_profile_region(const char *profile, char *buf, size_t size, char *msg,
                       size_t msgsize)
{
    rdsiam_error err;
    char *value = NULL;
    int rc = -1;

    if (rdsiam__profile_setting(profile, "region", &value, NULL, &err) !=
        RDSIAM_OK)
        snprintf(msg, msgsize, "%s", err.message);
    else if (!value || !*value)
        snprintf(msg, msgsize,
                 "no region: use --region or set AWS_REGION, "
                 "AWS_DEFAULT_REGION or the profile's region");
    else if (strlen(value) >= size)
        snprintf(msg, msgsize, "the profile's region is too long");
    else {
        memcpy(buf, value, strlen(value) + 1);
        rc = 0;
    }
    free(value);
    return rc;
}
