# examples/rds-emulator/valkey.mk - the front the valkey engine of the RDS
# emulator runs before a throwaway redis-server (valkey/valkey_front.c):
# it checks ElastiCache and MemoryDB IAM logins. Built by `make emulator`
# (and so by `make tests`); linked with the static librdsiam.
#
# SPDX-License-Identifier: MIT

EMU_VALKEY_FRONT := $(B)/rds-emulator/valkey/rdsiam-valkey-front

$(EMU_VALKEY_FRONT): examples/rds-emulator/valkey/valkey_front.c \
    $(EMU_COMMON_SRCS) $(EMU_COMMON_HDRS) include/rdsiam.h $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(EMU_COMMON_SRCS) \
	    $(STATIC_LIB) $(DEP_LIBS)

emulator: $(EMU_VALKEY_FRONT)
tests: emulator

.PHONY: emulator
