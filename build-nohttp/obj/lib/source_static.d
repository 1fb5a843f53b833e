build-nohttp/obj/lib/source_static.o: lib/source_static.c lib/provider.h \
 lib/source.h lib/internal.h include/rdsiam.h lib/profile.h
lib/provider.h:
lib/source.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
