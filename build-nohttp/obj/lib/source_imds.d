build-nohttp/obj/lib/source_imds.o: lib/source_imds.c lib/http.h \
 lib/internal.h include/rdsiam.h lib/json_reader.h lib/source.h \
 lib/profile.h lib/source_imds.h
lib/http.h:
lib/internal.h:
include/rdsiam.h:
lib/json_reader.h:
lib/source.h:
lib/profile.h:
lib/source_imds.h:
