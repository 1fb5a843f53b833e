# examples/lambda.mk - the Lambda function in C (examples/lambda/):
#
#   make lambda [RDS_CA_BUNDLE_FILE=global-bundle.pem]
#       build/lambda/bootstrap and build/lambda/function.zip, ready for the
#       provided.al2023 runtime (docs/DEPLOYMENT.md). The package is checked
#       before it is written (examples/lambda/check-package.sh): every
#       library each object needs is shipped or the runtime's, and none
#       needs a glibc newer than the runtime's 2.34.
#
# Against the installed library it builds with:
#   cc -o bootstrap examples/lambda/*.c \
#      $(pkg-config --cflags --libs rdsiam libmariadb libcurl json-c)

LAMBDA_BOOTSTRAP := $(B)/lambda/bootstrap
LAMBDA_ZIP       := $(B)/lambda/function.zip
LAMBDA_SRCS      := $(wildcard examples/lambda/*.c)
LAMBDA_LIBS      := $(shell $(PKG_CONFIG) --libs libmariadb libcurl json-c 2>/dev/null)
RDS_CA_BUNDLE_FILE ?=

# The function links a library of its own, built with HTTP=no. Lambda
# hands the role's credentials over in the environment (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the sources that fetch
# credentials over the network (STS, SSO, container and instance
# metadata endpoints) would never run; left out, they take the library's
# own need for libcurl and expat with them (and Debian 12's libexpat needs
# glibc 2.36, newer than the runtime's). The Runtime API client
# (runtime.c) still speaks HTTP through libcurl.
LAMBDA_LIB_B     := $(B)/lambda/librdsiam
LAMBDA_LIB       := $(LAMBDA_LIB_B)/lib/librdsiam.a
LAMBDA_LIB_LIBS  := $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null) -pthread

$(LAMBDA_LIB): FORCE
	@$(MAKE) --no-print-directory HTTP=no B=$(LAMBDA_LIB_B) $@

pc-check-lambda:
	$(PC_CHECK) libmariadb libcurl json-c libcrypto

$(LAMBDA_BOOTSTRAP): $(LAMBDA_SRCS) $(wildcard examples/lambda/*.h) include/rdsiam.h $(LAMBDA_LIB) | pc-check-lambda
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(MARIADB_CLIENT_CFLAGS) $(LDFLAGS) -o $@ \
	    $(LAMBDA_SRCS) $(LAMBDA_LIB) $(LAMBDA_LIBS) $(LAMBDA_LIB_LIBS)

# Always repackaged: the zip depends on RDS_CA_BUNDLE_FILE too.
lambda: $(LAMBDA_BOOTSTRAP)
	@sh examples/lambda/package.sh $(LAMBDA_ZIP) $(LAMBDA_BOOTSTRAP) $(RDS_CA_BUNDLE_FILE)

examples: $(LAMBDA_BOOTSTRAP)
tests: examples

.PHONY: lambda examples pc-check-lambda

# Cold start and warm invocation latency, C against the same handler in
# Python (boto3 + PyMySQL), both against the Runtime API stand-in and the
# MariaDB emulator (tests/bench/lambda_bench.py; docs/PERFORMANCE.md).
LAMBDA_COLD ?= 20
LAMBDA_WARM ?= 500
bench-lambda: $(LAMBDA_BOOTSTRAP) $(B)/rds-emulator/mariadb/auth_rdsiam.so
	@python3 tests/bench/lambda_bench.py $(LAMBDA_BOOTSTRAP) \
	    --cold $(LAMBDA_COLD) --warm $(LAMBDA_WARM)

.PHONY: bench-lambda
