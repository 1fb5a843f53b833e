build-nohttp/obj/lib/provider.o: lib/provider.c lib/hazard.h \
 lib/provider.h lib/source.h lib/internal.h include/rdsiam.h \
 lib/profile.h
lib/hazard.h:
lib/provider.h:
lib/source.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
