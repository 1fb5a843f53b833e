# examples/lambda.mk - the Lambda function in C (examples/lambda/):
#
#   make lambda [RDS_CA_BUNDLE_FILE=global-bundle.pem]
#       build/lambda/bootstrap and build/lambda/function.zip, ready for the
#       provided.al2023 runtime (build it on Amazon Linux 2023 to deploy;
#       docs/DEPLOYMENT.md)
#
# Against the installed library it builds with:
#   cc -o bootstrap examples/lambda/*.c \
#      $(pkg-config --cflags --libs rdsiam libmariadb libcurl json-c)

LAMBDA_BOOTSTRAP := $(B)/lambda/bootstrap
LAMBDA_ZIP       := $(B)/lambda/function.zip
LAMBDA_SRCS      := $(wildcard examples/lambda/*.c)
LAMBDA_LIBS      := $(shell $(PKG_CONFIG) --libs libmariadb libcurl json-c 2>/dev/null)
RDS_CA_BUNDLE_FILE ?=

$(LAMBDA_BOOTSTRAP): $(LAMBDA_SRCS) $(wildcard examples/lambda/*.h) include/rdsiam.h $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(MARIADB_CLIENT_CFLAGS) $(LDFLAGS) -o $@ \
	    $(LAMBDA_SRCS) $(STATIC_LIB) $(LAMBDA_LIBS) $(DEP_LIBS)

# Always repackaged: the zip depends on RDS_CA_BUNDLE_FILE too.
lambda: $(LAMBDA_BOOTSTRAP)
	@sh examples/lambda/package.sh $(LAMBDA_ZIP) $(LAMBDA_BOOTSTRAP) $(RDS_CA_BUNDLE_FILE)

examples: $(LAMBDA_BOOTSTRAP)
tests: examples

.PHONY: lambda examples

# Cold start and warm invocation latency, C against the same handler in
# Python (boto3 + PyMySQL), both against the Runtime API stand-in and the
# MariaDB emulator (tests/bench/lambda_bench.py; docs/PERFORMANCE.md).
LAMBDA_COLD ?= 20
LAMBDA_WARM ?= 500
bench-lambda: $(LAMBDA_BOOTSTRAP) $(B)/rds-emulator/mariadb/auth_rdsiam.so
	@python3 tests/bench/lambda_bench.py $(LAMBDA_BOOTSTRAP) \
	    --cold $(LAMBDA_COLD) --warm $(LAMBDA_WARM)

.PHONY: bench-lambda
