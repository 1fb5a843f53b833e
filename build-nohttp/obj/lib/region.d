build-nohttp/obj/lib/region.o: lib/region.c lib/profile.h lib/internal.h \
 include/rdsiam.h lib/provider.h lib/source.h
lib/profile.h:
lib/internal.h:
include/rdsiam.h:
lib/provider.h:
lib/source.h:
