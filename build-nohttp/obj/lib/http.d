build-nohttp/obj/lib/http.o: lib/http.c lib/http.h lib/internal.h \
 include/rdsiam.h
lib/http.h:
lib/internal.h:
include/rdsiam.h:
