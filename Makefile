# librdsiam - IAM database authentication tokens for Amazon RDS from C.
#
#   make                 build the libraries, the tool and rdsiam.pc
#   make test            build and run the whole test suite
#   make demo            the whole flow against the local RDS emulator
#   make bench           token throughput benchmark
#   make install         PREFIX=/usr/local DESTDIR= (also uninstall)
#   make HTTP=no         build without libcurl (no container provider)
#
# SPDX-License-Identifier: MIT

.SUFFIXES:
.DELETE_ON_ERROR:

PREFIX      ?= /usr/local
DESTDIR     ?=
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

CC          ?= cc
PKG_CONFIG  ?= pkg-config
HTTP        ?= yes
VECTORS     ?= $(abspath ../shared/vectors)
B           := build

# One source of truth for the version: the public header.
VERSION_MAJOR := $(shell sed -n 's/^\#define RDSIAM_VERSION_MAJOR \([0-9]*\).*/\1/p' include/rdsiam.h)
VERSION_MINOR := $(shell sed -n 's/^\#define RDSIAM_VERSION_MINOR \([0-9]*\).*/\1/p' include/rdsiam.h)
VERSION_PATCH := $(shell sed -n 's/^\#define RDSIAM_VERSION_PATCH \([0-9]*\).*/\1/p' include/rdsiam.h)
VERSION     := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)

SONAME      := librdsiam.so.$(VERSION_MAJOR)
SO_REAL     := librdsiam.so.$(VERSION)

WARN        := -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
               -Wstrict-prototypes -Wformat=2
CFLAGS      ?= -O2 -g
STD         := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
ifeq ($(WERROR),1)
WARN        += -Werror
endif

PC_REQUIRES := libcrypto json-c
ifeq ($(HTTP),yes)
PC_REQUIRES += libcurl expat
HTTP_DEF    := -DRDSIAM_HTTP=1
else
HTTP_DEF    := -DRDSIAM_HTTP=0
endif

DEP_CFLAGS  := $(shell $(PKG_CONFIG) --cflags $(PC_REQUIRES) 2>/dev/null)
DEP_LIBS    := $(shell $(PKG_CONFIG) --libs $(PC_REQUIRES) 2>/dev/null) -pthread

ALL_CFLAGS  = $(STD) $(WARN) $(CFLAGS) -Iinclude -Ilib $(HTTP_DEF) $(DEP_CFLAGS)
LIB_CFLAGS  = $(ALL_CFLAGS) -fPIC -fvisibility=hidden -pthread

LIB_SRCS    := $(wildcard lib/*.c)
LIB_OBJS    := $(LIB_SRCS:lib/%.c=$(B)/obj/lib/%.o)
STATIC_LIB  := $(B)/lib/librdsiam.a
SHARED_LIB  := $(B)/lib/$(SO_REAL)
PC_FILE     := $(B)/rdsiam.pc
TOOL        := $(B)/bin/rdsiam-token

all: $(STATIC_LIB) $(SHARED_LIB) $(TOOL) $(PC_FILE)

# Stamps holding the settings a file depends on beyond its sources: a file
# is rebuilt when they change (CC=clang, HTTP=no, PREFIX=/usr, ...), not
# only when a source is newer. Each stamp is rewritten only if it differs.
CFLAGS_STAMP := $(B)/cflags.stamp
PC_STAMP    := $(B)/pc.stamp
$(CFLAGS_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(LIB_CFLAGS) $(LDFLAGS) $(DEP_LIBS)' | cmp -s - $@ || \
	    echo '$(CC) $(LIB_CFLAGS) $(LDFLAGS) $(DEP_LIBS)' > $@
$(PC_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(PC_REQUIRES)' | cmp -s - $@ || \
	    echo '$(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(PC_REQUIRES)' > $@

$(B)/obj/lib/%.o: lib/%.c include/rdsiam.h lib/internal.h $(CFLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

$(STATIC_LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(SHARED_LIB): $(LIB_OBJS) lib/rdsiam.map
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=lib/rdsiam.map \
	    -Wl,--no-undefined $(LDFLAGS) -o $@ $(LIB_OBJS) $(DEP_LIBS)
	ln -sf $(SO_REAL) $(B)/lib/$(SONAME)
	ln -sf $(SONAME) $(B)/lib/librdsiam.so

$(TOOL): lib/cli/rdsiam-token.c $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)

$(PC_FILE): Makefile include/rdsiam.h $(PC_STAMP)
	@mkdir -p $(@D)
	printf '%s\n' \
	    'prefix=$(PREFIX)' \
	    'exec_prefix=$${prefix}' \
	    'libdir=$(LIBDIR)' \
	    'includedir=$(INCLUDEDIR)' \
	    '' \
	    'Name: rdsiam' \
	    'Description: IAM database authentication tokens for Amazon RDS and Aurora' \
	    'Version: $(VERSION)' \
	    'Requires.private: $(PC_REQUIRES)' \
	    'Libs: -L$${libdir} -lrdsiam' \
	    'Libs.private: -pthread' \
	    'Cflags: -I$${includedir}' > $@

# ---------------------------------------------------------------------------
# install / uninstall

MAN3 := $(wildcard docs/man/*.3)
MAN1 := $(wildcard docs/man/*.1)

install: all
	install -d $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(BINDIR)
	install -m 644 include/rdsiam.h $(DESTDIR)$(INCLUDEDIR)/rdsiam.h
	install -m 644 $(STATIC_LIB) $(DESTDIR)$(LIBDIR)/librdsiam.a
	install -m 755 $(SHARED_LIB) $(DESTDIR)$(LIBDIR)/$(SO_REAL)
	ln -sf $(SO_REAL) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/librdsiam.so
	install -m 644 $(PC_FILE) $(DESTDIR)$(PKGCONFIGDIR)/rdsiam.pc
	install -m 755 $(TOOL) $(DESTDIR)$(BINDIR)/rdsiam-token
	$(if $(MAN3),install -d $(DESTDIR)$(MANDIR)/man3 && install -m 644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/)
	$(if $(MAN1),install -d $(DESTDIR)$(MANDIR)/man1 && install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/)

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/rdsiam.h \
	    $(DESTDIR)$(LIBDIR)/librdsiam.a \
	    $(DESTDIR)$(LIBDIR)/$(SO_REAL) \
	    $(DESTDIR)$(LIBDIR)/$(SONAME) \
	    $(DESTDIR)$(LIBDIR)/librdsiam.so \
	    $(DESTDIR)$(PKGCONFIGDIR)/rdsiam.pc \
	    $(DESTDIR)$(BINDIR)/rdsiam-token \
	    $(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(MAN3))) \
	    $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1)))

clean:
	rm -rf $(B)

FORCE:

.PHONY: all install uninstall clean FORCE

# Tests, examples, the emulator and benchmarks add their own rules.
include $(sort $(wildcard tests/*.mk examples/*.mk examples/*/*.mk))
