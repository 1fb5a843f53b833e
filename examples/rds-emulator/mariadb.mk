# examples/rds-emulator/mariadb.mk - the MariaDB server authentication
# plugin (AWSAuthenticationPlugin) used by the local RDS emulator.
#
#   make emulator    builds every emulator engine's server-side piece
#
# The plugin is linked with the static library (built -fPIC) and
# MariaDB's plugin-services stub, so the server needs nothing else.

MARIADB_SERVER_INC ?= /usr/include/mariadb/server
MARIADB_SERVICES   ?= $(firstword $(wildcard /usr/lib/*/libmysqlservices.a /usr/lib/libmysqlservices.a /usr/lib64/libmysqlservices.a))
EMU_MARIADB_PLUGIN := $(B)/rds-emulator/mariadb/auth_rdsiam.so

$(EMU_MARIADB_PLUGIN): examples/rds-emulator/mariadb/auth_rdsiam.c \
    $(EMU_COMMON_SRCS) $(EMU_COMMON_HDRS) \
    examples/rds-emulator/mariadb/auth_rdsiam.map $(STATIC_LIB)
	@mkdir -p $(@D)
	@test -f $(MARIADB_SERVER_INC)/mysql/plugin_auth.h && test -n "$(MARIADB_SERVICES)" || \
	    { echo "MariaDB server headers missing: install libmariadbd-dev" >&2; exit 1; }
	$(CC) $(ALL_CFLAGS) -fPIC -shared -isystem $(MARIADB_SERVER_INC) \
	    -Wl,--version-script=examples/rds-emulator/mariadb/auth_rdsiam.map \
	    -Wl,--no-undefined $(LDFLAGS) -o $@ $< $(EMU_COMMON_SRCS) $(STATIC_LIB) $(MARIADB_SERVICES) \
	    -Wl,--as-needed $(DEP_LIBS)

emulator: all $(EMU_MARIADB_PLUGIN)
tests: emulator

.PHONY: emulator
