build-nohttp/obj/lib/json.o: lib/json.c /usr/include/cjson/cJSON.h \
 lib/json_lex.h lib/internal.h include/rdsiam.h lib/json_reader.h \
 lib/source.h lib/profile.h
/usr/include/cjson/cJSON.h:
lib/json_lex.h:
lib/internal.h:
include/rdsiam.h:
lib/json_reader.h:
lib/source.h:
lib/profile.h:
