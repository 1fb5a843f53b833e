build-nohttp/obj/lib/cli/rdsiam-token.o: lib/cli/rdsiam-token.c \
 include/rdsiam.h lib/cli/args.h
include/rdsiam.h:
lib/cli/args.h:
