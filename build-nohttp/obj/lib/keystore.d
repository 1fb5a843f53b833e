build-nohttp/obj/lib/keystore.o: lib/keystore.c lib/file.h lib/internal.h \
 include/rdsiam.h
lib/file.h:
lib/internal.h:
include/rdsiam.h:
