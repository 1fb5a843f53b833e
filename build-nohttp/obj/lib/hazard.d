build-nohttp/obj/lib/hazard.o: lib/hazard.c lib/hazard.h
lib/hazard.h:
