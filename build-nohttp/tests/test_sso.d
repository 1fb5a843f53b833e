build-nohttp/tests/test_sso: tests/test_sso.c tests/helpers/fake_env.h \
 tests/helpers/standin.h tests/helpers/threads.h lib/http.h \
 lib/internal.h include/rdsiam.h lib/internal.h lib/provider.h \
 lib/source.h lib/profile.h lib/source_sso.h lib/sso_token.h \
 lib/source_sso.h
tests/helpers/fake_env.h:
tests/helpers/standin.h:
tests/helpers/threads.h:
lib/http.h:
lib/internal.h:
include/rdsiam.h:
lib/internal.h:
lib/provider.h:
lib/source.h:
lib/profile.h:
lib/source_sso.h:
lib/sso_token.h:
lib/source_sso.h:
