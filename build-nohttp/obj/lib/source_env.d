build-nohttp/obj/lib/source_env.o: lib/source_env.c lib/source.h \
 lib/internal.h include/rdsiam.h lib/profile.h
lib/source.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
