build-nohttp/obj/lib/source_assume_role.o: lib/source_assume_role.c \
 lib/source_assume_role.h lib/source.h lib/internal.h include/rdsiam.h \
 lib/profile.h lib/provider.h
lib/source_assume_role.h:
lib/source.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
lib/provider.h:
