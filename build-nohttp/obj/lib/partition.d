build-nohttp/obj/lib/partition.o: lib/partition.c lib/internal.h \
 include/rdsiam.h
lib/internal.h:
include/rdsiam.h:
