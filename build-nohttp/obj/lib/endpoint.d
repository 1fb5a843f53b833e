build-nohttp/obj/lib/endpoint.o: lib/endpoint.c lib/endpoint.h \
 lib/internal.h include/rdsiam.h
lib/endpoint.h:
lib/internal.h:
include/rdsiam.h:
