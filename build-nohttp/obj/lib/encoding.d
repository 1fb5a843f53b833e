build-nohttp/obj/lib/encoding.o: lib/encoding.c lib/internal.h \
 include/rdsiam.h
lib/internal.h:
include/rdsiam.h:
