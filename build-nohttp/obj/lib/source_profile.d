build-nohttp/obj/lib/source_profile.o: lib/source_profile.c lib/source.h \
 lib/internal.h include/rdsiam.h lib/profile.h
lib/source.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
