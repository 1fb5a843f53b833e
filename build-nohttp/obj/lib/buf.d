build-nohttp/obj/lib/buf.o: lib/buf.c lib/internal.h include/rdsiam.h
lib/internal.h:
include/rdsiam.h:
