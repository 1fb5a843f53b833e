build-nohttp/obj/lib/time.o: lib/time.c lib/internal.h include/rdsiam.h
lib/internal.h:
include/rdsiam.h:
