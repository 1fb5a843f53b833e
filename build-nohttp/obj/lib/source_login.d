build-nohttp/obj/lib/source_login.o: lib/source_login.c lib/source.h \
 lib/internal.h include/rdsiam.h lib/profile.h
lib/source.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
