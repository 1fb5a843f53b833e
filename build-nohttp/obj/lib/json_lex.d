build-nohttp/obj/lib/json_lex.o: lib/json_lex.c lib/json_lex.h \
 lib/internal.h include/rdsiam.h
lib/json_lex.h:
lib/internal.h:
include/rdsiam.h:
