build-nohttp/obj/lib/dpop.o: lib/dpop.c lib/dpop.h lib/internal.h \
 include/rdsiam.h lib/json_reader.h lib/source.h lib/profile.h
lib/dpop.h:
lib/internal.h:
include/rdsiam.h:
lib/json_reader.h:
lib/source.h:
lib/profile.h:
