build-nohttp/obj/lib/token.o: lib/token.c lib/internal.h include/rdsiam.h
lib/internal.h:
include/rdsiam.h:
