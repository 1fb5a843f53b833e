build-nohttp/tests/helpers/fake_env.o: tests/helpers/fake_env.c \
 tests/helpers/fake_env.h lib/internal.h include/rdsiam.h
tests/helpers/fake_env.h:
lib/internal.h:
include/rdsiam.h:
