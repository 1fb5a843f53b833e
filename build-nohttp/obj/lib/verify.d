build-nohttp/obj/lib/verify.o: lib/verify.c lib/internal.h \
 include/rdsiam.h
lib/internal.h:
include/rdsiam.h:
