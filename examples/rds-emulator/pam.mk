# examples/rds-emulator/pam.mk - the PAM module the PostgreSQL engine of the
# RDS emulator uses (needs libpam0g-dev). Built by `make emulator` (and
# so by `make tests`); linked with the static librdsiam (PIC objects), so the
# server needs no shared librdsiam at run time.

PAM_MODULE  := $(B)/rds-emulator/postgres/pam_rdsiam.so
PAM_SRC     := examples/rds-emulator/pam/pam_rdsiam.c
PAM_MAP     := examples/rds-emulator/pam/pam_rdsiam.map

$(B)/obj/pam/pam_rdsiam.o: $(PAM_SRC) include/rdsiam.h $(EMU_COMMON_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -c $< -o $@

$(B)/obj/pam/log_escape.o: $(EMU_COMMON_SRCS) $(EMU_COMMON_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -c $< -o $@

$(PAM_MODULE): $(B)/obj/pam/pam_rdsiam.o $(B)/obj/pam/log_escape.o $(STATIC_LIB) $(PAM_MAP)
	@mkdir -p $(@D)
	$(CC) -shared -fPIC -Wl,--version-script=$(PAM_MAP) -Wl,--no-undefined \
	    $(LDFLAGS) -o $@ $(B)/obj/pam/pam_rdsiam.o $(B)/obj/pam/log_escape.o \
	    $(STATIC_LIB) -lpam $(DEP_LIBS)

emulator: $(PAM_MODULE)
tests: emulator

.PHONY: emulator
