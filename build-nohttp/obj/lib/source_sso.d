build-nohttp/obj/lib/source_sso.o: lib/source_sso.c lib/endpoint.h \
 lib/internal.h include/rdsiam.h lib/http.h lib/json_reader.h \
 lib/source.h lib/profile.h lib/source_sso.h lib/sso_token.h
lib/endpoint.h:
lib/internal.h:
include/rdsiam.h:
lib/http.h:
lib/json_reader.h:
lib/source.h:
lib/profile.h:
lib/source_sso.h:
lib/sso_token.h:
