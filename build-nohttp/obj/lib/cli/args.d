build-nohttp/obj/lib/cli/args.o: lib/cli/args.c lib/cli/args.h \
 include/rdsiam.h
lib/cli/args.h:
include/rdsiam.h:
