build-nohttp/obj/lib/profile.o: lib/profile.c lib/file.h lib/internal.h \
 include/rdsiam.h lib/profile.h
lib/file.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
