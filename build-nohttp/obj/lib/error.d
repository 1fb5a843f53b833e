build-nohttp/obj/lib/error.o: lib/error.c lib/internal.h include/rdsiam.h
lib/internal.h:
include/rdsiam.h:
