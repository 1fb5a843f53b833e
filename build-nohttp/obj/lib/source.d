build-nohttp/obj/lib/source.o: lib/source.c lib/source.h lib/internal.h \
 include/rdsiam.h lib/profile.h
lib/source.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
