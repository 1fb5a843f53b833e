# examples/pg.mk - rdsiam-pg-users, the libpq example (needs libpq-dev).
# Built by `make examples` (and so by `make tests`). Against the installed library
# it builds with:
#   cc -o rdsiam-pg-users examples/rdsiam-pg-users.c \
#      $(pkg-config --cflags --libs rdsiam libpq json-c)

PG_USERS    := $(B)/bin/rdsiam-pg-users
PQ_CFLAGS   := $(shell $(PKG_CONFIG) --cflags libpq 2>/dev/null)
PQ_LIBS     := $(shell $(PKG_CONFIG) --libs libpq 2>/dev/null)

pc-check-pg:
	$(PC_CHECK) libpq json-c

$(PG_USERS): examples/rdsiam-pg-users.c include/rdsiam.h $(STATIC_LIB) | pc-check-pg
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(PQ_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) \
	    $(PQ_LIBS) $(EX_JSON_LIBS) $(DEP_LIBS)

examples: $(PG_USERS)
tests: examples

.PHONY: examples pc-check-pg
