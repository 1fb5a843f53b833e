build-nohttp/tests/helpers/threads.o: tests/helpers/threads.c \
 tests/helpers/threads.h
tests/helpers/threads.h:
