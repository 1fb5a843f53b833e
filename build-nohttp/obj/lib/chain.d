build-nohttp/obj/lib/chain.o: lib/chain.c lib/provider.h lib/source.h \
 lib/internal.h include/rdsiam.h lib/profile.h
lib/provider.h:
lib/source.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
