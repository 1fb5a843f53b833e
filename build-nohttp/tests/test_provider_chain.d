build-nohttp/tests/test_provider_chain: tests/test_provider_chain.c \
 tests/helpers/creds_ref.h include/rdsiam.h tests/helpers/fake_env.h \
 lib/provider.h lib/source.h lib/internal.h lib/profile.h
tests/helpers/creds_ref.h:
include/rdsiam.h:
tests/helpers/fake_env.h:
lib/provider.h:
lib/source.h:
lib/internal.h:
lib/profile.h:
