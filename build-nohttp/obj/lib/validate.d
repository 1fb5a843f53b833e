build-nohttp/obj/lib/validate.o: lib/validate.c lib/internal.h \
 include/rdsiam.h
lib/internal.h:
include/rdsiam.h:
