# tests/emulator/emulator.mk - helpers of the ElastiCache, MemoryDB and MSK example
# checks (tests/check-emulator-valkey.sh, tests/check-example-msk.sh),
# built with the unit tests:
#   verify-token          a token from stdin through
#                         rdsiam_verify_service_token()
#   rdkafka-token-shim.so records what a program hands librdkafka's
#                         rd_kafka_oauthbearer_set_token() (LD_PRELOAD)
#
# SPDX-License-Identifier: MIT

VERIFY_TOKEN_BIN := $(B)/tests/verify-token
RDKAFKA_SHIM     := $(B)/tests/rdkafka-token-shim.so

$(VERIFY_TOKEN_BIN): tests/emulator/verify_token.c include/rdsiam.h $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)

$(RDKAFKA_SHIM): tests/emulator/rdkafka_token_shim.c
	$(PC_CHECK) rdkafka
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(RDKAFKA_CFLAGS) -fPIC -shared $(LDFLAGS) -o $@ $< -ldl

tests: $(VERIFY_TOKEN_BIN) $(RDKAFKA_SHIM)
