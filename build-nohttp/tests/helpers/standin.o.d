build-nohttp/tests/helpers/standin.o: tests/helpers/standin.c \
 tests/helpers/standin.h lib/internal.h include/rdsiam.h
tests/helpers/standin.h:
lib/internal.h:
include/rdsiam.h:
