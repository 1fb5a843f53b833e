build-nohttp/tests/test_region: tests/test_region.c \
 tests/helpers/fake_env.h lib/provider.h lib/source.h lib/internal.h \
 include/rdsiam.h lib/profile.h
tests/helpers/fake_env.h:
lib/provider.h:
lib/source.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
