build-nohttp/obj/lib/sigv4.o: lib/sigv4.c lib/internal.h include/rdsiam.h
lib/internal.h:
include/rdsiam.h:
