/*
 * fuzz_cli_args - rdsiam-token's command-line parser (lib/cli/args.c) on
 * arbitrary argument vectors: the input is split at NUL bytes into argv.
 *
 * Properties: no crash; a run that is accepted has, for an RDS or Aurora
 * DSQL token and unless --config names the databases, a hostname and
 * (but for Aurora DSQL) a username that are whole argv elements (nothing
 * shortened) and a port of 1..65535 whose argument is decimal digits
 * only, and none of the service options; for --elasticache and
 * --memorydb a name and a username that are whole argv elements, for
 * --msk neither, and for the three no host, port, --dbname, --config or
 * --dsql and the raw or json format, --serverless only for ElastiCache
 * and MSK, --user-agent only for MSK; for every kind a profile, when
 * given, that is not empty, --dbname for the pgbouncer format, --output
 * for --every and --then, and an --every of 0 to 86400 s; a usage error
 * always says why, and the argument it names is one of argv's.
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz.h"

#include "cli/args.c"

#define ARGS_MAX 32

/* s is argv[i] itself, or the part after "--name=" of one of them. */
static int from_argv(const char *s, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (s == argv[i] || (eq && s == eq + 1))
            return strlen(s) == strlen(argv[i]) - (size_t)(s - argv[i]);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader r = {data, size};
    char *argv[ARGS_MAX + 2];
    int argc = 1;
    cli_args a;
    int rc;

    argv[0] = "rdsiam-token";
    while (argc <= ARGS_MAX && (argv[argc] = fuzz_str(&r)) != NULL)
        argc++;
    argv[argc] = NULL;

    rc = cli_parse(argc, argv, &a);
    if (rc == CLI_RUN && a.kind != CLI_RDS) {
        /* --elasticache NAME / --memorydb NAME with --username; --msk
         * with neither; never a host, port or database */
        FUZZ_CHECK(!a.params.hostname && a.params.port == 0 && !a.dbname);
        FUZZ_CHECK(!a.config && !a.dsql);
        FUZZ_CHECK(a.kind == CLI_MSK
                       ? !a.name && !a.params.username
                       : a.name && from_argv(a.name, argc, argv) &&
                             a.params.username &&
                             from_argv(a.params.username, argc, argv));
        FUZZ_CHECK(!a.serverless || a.kind != CLI_MEMORYDB);
        FUZZ_CHECK(!a.user_agent || a.kind == CLI_MSK);
        FUZZ_CHECK(a.format == FMT_RAW || a.format == FMT_JSON);
    } else if (rc == CLI_RUN && a.config) {
        /* --config names the databases: none on the command line. */
        FUZZ_CHECK(*a.config && from_argv(a.config, argc, argv));
        FUZZ_CHECK(!a.params.hostname && !a.params.username && !a.dbname);
    } else if (rc == CLI_RUN) {
        FUZZ_CHECK(a.params.hostname &&
                   from_argv(a.params.hostname, argc, argv));
        /* DSQL: no port needed; a user only for the file formats. */
        FUZZ_CHECK(a.dsql || (a.params.username &&
                              from_argv(a.params.username, argc, argv)));
        FUZZ_CHECK(a.dsql || (a.params.port >= 1 && a.params.port <= 65535));
        FUZZ_CHECK(a.format != FMT_PGBOUNCER || (a.dbname && *a.dbname));
    }
    if (rc == CLI_RUN && a.kind == CLI_RDS)
        FUZZ_CHECK(!a.serverless && !a.user_agent && !a.name);
    if (rc == CLI_RUN) {
        FUZZ_CHECK(!(a.every || a.then) || (a.output && *a.output));
        FUZZ_CHECK(a.every >= 0 && a.every <= CLI_EVERY_MAX);
        FUZZ_CHECK(!a.popts.profile || *a.popts.profile);
        FUZZ_CHECK(a.params.region == a.popts.region);
    } else if (rc == CLI_USAGE) {
        FUZZ_CHECK(a.why && *a.why);
        FUZZ_CHECK(!a.arg || from_argv(a.arg, argc, argv));
    } else {
        FUZZ_CHECK(rc == CLI_HELP || rc == CLI_VERSION);
    }
    for (int i = 1; i < argc; i++)
        free(argv[i]);
    return 0;
}
