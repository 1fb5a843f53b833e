build-nohttp/obj/lib/cache_file.o: lib/cache_file.c lib/cache_file.h \
 lib/internal.h include/rdsiam.h
lib/cache_file.h:
lib/internal.h:
include/rdsiam.h:
