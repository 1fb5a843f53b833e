build-nohttp/obj/lib/hash.o: lib/hash.c lib/internal.h include/rdsiam.h
lib/internal.h:
include/rdsiam.h:
