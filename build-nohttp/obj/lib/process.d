build-nohttp/obj/lib/process.o: lib/process.c lib/process.h lib/source.h \
 lib/internal.h include/rdsiam.h lib/profile.h
lib/process.h:
lib/source.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
