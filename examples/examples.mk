# examples/examples.mk - example programs, built into $(B)/bin, and
# `make demo`, the whole IAM login flow against the local RDS emulator.
#
# The examples build here against the tree's static library; a user builds
# them against the installed library exactly as the comment at the top of
# each file shows (`pkg-config --cflags --libs rdsiam ...`).

MARIADB_CLIENT_CFLAGS := $(shell $(PKG_CONFIG) --cflags libmariadb 2>/dev/null)
MARIADB_CLIENT_LIBS   := $(shell $(PKG_CONFIG) --libs libmariadb 2>/dev/null)
# json-c writes the examples' JSON output (the library reads JSON with a
# reader of its own).
EX_JSON_LIBS          := $(shell $(PKG_CONFIG) --libs json-c 2>/dev/null)
EX_MYSQL_USERS        := $(B)/bin/rdsiam-mysql-users

pc-check-mariadb:
	$(PC_CHECK) libmariadb json-c

$(EX_MYSQL_USERS): examples/rdsiam-mysql-users.c $(STATIC_LIB) | pc-check-mariadb
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(MARIADB_CLIENT_CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(STATIC_LIB) $(MARIADB_CLIENT_LIBS) $(EX_JSON_LIBS) $(DEP_LIBS)

examples: all $(EX_MYSQL_USERS)
tests: examples

# The README's first command. tests/deps.sh installs what is missing (as
# root) or names it; only the MariaDB pieces are built (the demo list in
# deps.sh has no PostgreSQL or PAM headers); the demo itself is
# examples/rds-emulator/demo.sh.
demo:
	@sh tests/deps.sh demo
	@$(MAKE) --no-print-directory -s all $(EX_MYSQL_USERS) $(EMU_MARIADB_PLUGIN) >/dev/null
	@B=$(B) sh examples/rds-emulator/demo.sh

.PHONY: examples demo pc-check-mariadb
