build-nohttp/tests/helpers/creds_ref.o: tests/helpers/creds_ref.c \
 tests/helpers/creds_ref.h include/rdsiam.h
tests/helpers/creds_ref.h:
include/rdsiam.h:
