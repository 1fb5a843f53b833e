build-nohttp/obj/lib/source_web_identity.o: lib/source_web_identity.c \
 lib/source_web_identity.h lib/source.h lib/internal.h include/rdsiam.h \
 lib/profile.h lib/file.h lib/provider.h
lib/source_web_identity.h:
lib/source.h:
lib/internal.h:
include/rdsiam.h:
lib/profile.h:
lib/file.h:
lib/provider.h:
