build-nohttp/obj/lib/connect.o: lib/connect.c lib/internal.h \
 include/rdsiam.h
lib/internal.h:
include/rdsiam.h:
