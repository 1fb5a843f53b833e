build-nohttp/obj/lib/sso_token.o: lib/sso_token.c lib/cache_file.h \
 lib/internal.h include/rdsiam.h lib/endpoint.h lib/file.h \
 lib/json_reader.h lib/source.h lib/profile.h lib/sso_token.h \
 lib/source_sso.h
lib/cache_file.h:
lib/internal.h:
include/rdsiam.h:
lib/endpoint.h:
lib/file.h:
lib/json_reader.h:
lib/source.h:
lib/profile.h:
lib/sso_token.h:
lib/source_sso.h:
