# examples/valkey.mk - the client examples of the ElastiCache, MemoryDB
# and MSK tokens, built by `make examples` (and so by `make tests`):
#   rdsiam-valkey  hiredis (libhiredis-dev): AUTH with a token, and again
#                  before the 12-hour limit
#   rdsiam-msk     librdkafka (librdkafka-dev): the OAUTHBEARER token
#                  refresh callback
# Against the installed library they build with
#   cc -o rdsiam-valkey examples/rdsiam-valkey.c \
#      $(pkg-config --cflags --libs rdsiam hiredis)
#   cc -o rdsiam-msk examples/rdsiam-msk.c \
#      $(pkg-config --cflags --libs rdsiam rdkafka)
# (tests/check-install.sh builds them so).

HIREDIS_CFLAGS := $(shell $(PKG_CONFIG) --cflags hiredis 2>/dev/null)
HIREDIS_LIBS   := $(shell $(PKG_CONFIG) --libs hiredis 2>/dev/null)
RDKAFKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags rdkafka 2>/dev/null)
RDKAFKA_LIBS   := $(shell $(PKG_CONFIG) --libs rdkafka 2>/dev/null)
EX_VALKEY      := $(B)/bin/rdsiam-valkey
EX_MSK         := $(B)/bin/rdsiam-msk

$(EX_VALKEY): examples/rdsiam-valkey.c include/rdsiam.h $(STATIC_LIB)
	$(PC_CHECK) hiredis
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(HIREDIS_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) \
	    $(HIREDIS_LIBS) $(DEP_LIBS)

$(EX_MSK): examples/rdsiam-msk.c include/rdsiam.h $(STATIC_LIB)
	$(PC_CHECK) rdkafka
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(RDKAFKA_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) \
	    $(RDKAFKA_LIBS) $(DEP_LIBS)

examples: $(EX_VALKEY) $(EX_MSK)
tests: examples

.PHONY: examples
