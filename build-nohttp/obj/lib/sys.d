build-nohttp/obj/lib/sys.o: lib/sys.c lib/internal.h include/rdsiam.h
lib/internal.h:
include/rdsiam.h:
