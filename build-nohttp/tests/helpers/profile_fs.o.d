build-nohttp/tests/helpers/profile_fs.o: tests/helpers/profile_fs.c \
 tests/helpers/profile_fs.h
tests/helpers/profile_fs.h:
