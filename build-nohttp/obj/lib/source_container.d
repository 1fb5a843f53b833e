build-nohttp/obj/lib/source_container.o: lib/source_container.c \
 lib/file.h lib/internal.h include/rdsiam.h lib/http.h lib/json_reader.h \
 lib/source.h lib/profile.h lib/source_container.h
lib/file.h:
lib/internal.h:
include/rdsiam.h:
lib/http.h:
lib/json_reader.h:
lib/source.h:
lib/profile.h:
lib/source_container.h:
