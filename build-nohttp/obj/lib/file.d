build-nohttp/obj/lib/file.o: lib/file.c lib/file.h lib/internal.h \
 include/rdsiam.h
lib/file.h:
lib/internal.h:
include/rdsiam.h:
