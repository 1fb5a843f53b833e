build-nohttp/obj/lib/source_process.o: lib/source_process.c \
 lib/json_reader.h lib/source.h lib/internal.h include/rdsiam.h \
 lib/profile.h lib/process.h
lib/json_reader.h:
lib/source.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
lib/process.h:
