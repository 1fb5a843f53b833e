build-nohttp/obj/lib/sts.o: lib/sts.c lib/sts.h lib/source.h \
 lib/internal.h include/rdsiam.h lib/profile.h
lib/sts.h:
lib/source.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
