# librdsiam - IAM database authentication tokens for Amazon RDS from C.
#
#   make                 build the libraries, the tool and rdsiam.pc
#   make check           the unit tests alone (seconds; no database servers)
#   make test            build and run the whole test suite
#   make demo            the whole flow against the local RDS emulator
#   make bench           token throughput benchmark
#   make install         PREFIX=/usr/local DESTDIR= (also uninstall); as root
#                        without DESTDIR it runs ldconfig
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
CMAKEDIR    ?= $(LIBDIR)/cmake/rdsiam
LDCONFIG    ?= ldconfig

CC          ?= cc
PKG_CONFIG  ?= pkg-config
HTTP        ?= yes
B           := build

# One source of truth for the version: the public header.
VERSION_MAJOR := $(shell sed -n 's/^\#define RDSIAM_VERSION_MAJOR \([0-9]*\).*/\1/p' include/rdsiam.h)
VERSION_MINOR := $(shell sed -n 's/^\#define RDSIAM_VERSION_MINOR \([0-9]*\).*/\1/p' include/rdsiam.h)
VERSION_PATCH := $(shell sed -n 's/^\#define RDSIAM_VERSION_PATCH \([0-9]*\).*/\1/p' include/rdsiam.h)
VERSION     := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)
# Pointer size of the target, for the CMake package's compatibility check.
PTR_SIZE    := $(shell printf '__SIZEOF_POINTER__' | $(CC) -E -P - 2>/dev/null | tr -d ' \n')

# The SONAME changes with every release that breaks the ABI. While the
# version is 0.x any minor release may break it, so the SONAME carries
# major.minor (librdsiam.so.0.3), as libgit2's does; from 1.0 on, the
# major version alone (librdsiam.so.1). tests/check-abi.sh holds releases
# that keep the SONAME to the previous one's ABI (tests/abi/).
ifeq ($(VERSION_MAJOR),0)
SONAME      := librdsiam.so.$(VERSION_MAJOR).$(VERSION_MINOR)
else
SONAME      := librdsiam.so.$(VERSION_MAJOR)
endif
SO_REAL     := librdsiam.so.$(VERSION)

WARN        := -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
               -Wstrict-prototypes -Wformat=2
CFLAGS      ?= -O2 -g
STD         := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
ifeq ($(WERROR),1)
WARN        += -Werror
endif

PC_REQUIRES := libcrypto
ifeq ($(HTTP),yes)
# libssl: lib/http.c sets an option on libcurl's OpenSSL context.
PC_REQUIRES += libcurl libssl expat
HTTP_DEF    := -DRDSIAM_HTTP=1
else
HTTP_DEF    := -DRDSIAM_HTTP=0
endif

# Each library's flags come from pkg-config. A module it cannot find
# leaves the flags empty here; the first compile that needs them stops
# before it starts, naming the module and the packages that hold its .pc
# file (PC_CHECK: tests/deps.sh pc), rather than failing on a header.
# `make clean`, `make deps` and the like need none of them.
DEP_CFLAGS  := $(shell $(PKG_CONFIG) --cflags $(PC_REQUIRES) 2>/dev/null)
DEP_LIBS    := $(shell $(PKG_CONFIG) --libs $(PC_REQUIRES) 2>/dev/null) -pthread
PC_CHECK     = @PKG_CONFIG='$(PKG_CONFIG)' sh tests/deps.sh pc

ALL_CFLAGS  = $(STD) $(WARN) $(CFLAGS) -Iinclude -Ilib $(HTTP_DEF) $(DEP_CFLAGS)
# The compiler writes each object's header dependencies next to it (X.d);
# -MP adds a target per header, so deleting a header breaks no build.
DEPFLAGS    := -MMD -MP
LIB_CFLAGS  = $(ALL_CFLAGS) -fPIC -fvisibility=hidden -pthread

LIB_SRCS    := $(wildcard lib/*.c)
LIB_OBJS    := $(LIB_SRCS:lib/%.c=$(B)/obj/lib/%.o)
STATIC_LIB  := $(B)/lib/librdsiam.a
SHARED_LIB  := $(B)/lib/$(SO_REAL)
PC_FILE     := $(B)/rdsiam.pc
PC_STATIC_FILE := $(B)/rdsiam-static.pc
CMAKE_CONFIG := $(B)/cmake/rdsiamConfig.cmake
CMAKE_VERSION_FILE := $(B)/cmake/rdsiamConfigVersion.cmake
TOOL        := $(B)/bin/rdsiam-token

all: $(STATIC_LIB) $(SHARED_LIB) $(TOOL) $(PC_FILE) $(PC_STATIC_FILE) $(CMAKE_CONFIG) $(CMAKE_VERSION_FILE)

# Stamps holding the settings a file depends on beyond its sources: a file
# is rebuilt when they change (CC=clang, HTTP=no, PREFIX=/usr, ...), not
# only when a source is newer. Each stamp is rewritten only if it differs.
CFLAGS_STAMP := $(B)/cflags.stamp
PC_STAMP    := $(B)/pc.stamp
$(CFLAGS_STAMP): FORCE
	$(PC_CHECK) $(PC_REQUIRES)
	@mkdir -p $(@D)
	@echo '$(CC) $(LIB_CFLAGS) $(DEPFLAGS) $(LDFLAGS) $(DEP_LIBS)' | cmp -s - $@ || \
	    echo '$(CC) $(LIB_CFLAGS) $(DEPFLAGS) $(LDFLAGS) $(DEP_LIBS)' > $@
$(PC_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(CMAKEDIR) $(PC_REQUIRES)' | cmp -s - $@ || \
	    echo '$(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(CMAKEDIR) $(PC_REQUIRES)' > $@

# Each object depends on the headers it includes, as the compiler listed
# them in its .d file on the last build (no .d yet: no object yet either).
$(B)/obj/lib/%.o: lib/%.c $(CFLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) $(DEPFLAGS) -c $< -o $@

-include $(LIB_OBJS:.o=.d)

$(STATIC_LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# The version script lists the header's RDSIAM_API functions by name;
# a function in one and not the other stops the build here, naming the
# line to add or remove.
MAP_STAMP   := $(B)/map.stamp
$(MAP_STAMP): include/rdsiam.h lib/rdsiam.map tests/abi/check-map.sh
	@mkdir -p $(@D)
	@sh tests/abi/check-map.sh include/rdsiam.h lib/rdsiam.map
	@touch $@

$(SHARED_LIB): $(LIB_OBJS) lib/rdsiam.map $(MAP_STAMP)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=lib/rdsiam.map \
	    -Wl,--no-undefined $(LDFLAGS) -o $@ $(LIB_OBJS) $(DEP_LIBS)
	ln -sf $(SO_REAL) $(B)/lib/$(SONAME)
	ln -sf $(SONAME) $(B)/lib/librdsiam.so

# The ABI of this build, as tests/check-abi.sh compares it
# (tests/abi/README.md): on a release, the next baseline.
abi-dump: $(SHARED_LIB)
	@mkdir -p $(B)/abi
	sh tests/abi/abi.sh dump $(SHARED_LIB) include $(B)/abi/librdsiam-$(VERSION).abi
	@echo "$(B)/abi/librdsiam-$(VERSION).abi"

.PHONY: abi-dump

# The tool's objects are compiled like the library's (the pattern rule
# above, each with its own .d file); it uses the public API only.
TOOL_SRCS   := $(wildcard lib/cli/*.c)
TOOL_OBJS   := $(TOOL_SRCS:lib/%.c=$(B)/obj/lib/%.o)

$(TOOL): $(TOOL_OBJS) $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(TOOL_OBJS) $(STATIC_LIB) $(DEP_LIBS)

-include $(TOOL_OBJS:.o=.d)

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

# rdsiam-static.pc: librdsiam.a linked into the program, and the libraries
# it needs linked as the system has them (shared on Debian, whose libcurl
# has no static archive of its own dependencies). So
#   cc app.c $(pkg-config --cflags --libs rdsiam-static)
# links librdsiam statically and everything else as usual.
$(PC_STATIC_FILE): Makefile include/rdsiam.h $(PC_STAMP)
	@mkdir -p $(@D)
	printf '%s\n' \
	    'prefix=$(PREFIX)' \
	    'exec_prefix=$${prefix}' \
	    'libdir=$(LIBDIR)' \
	    'includedir=$(INCLUDEDIR)' \
	    '' \
	    'Name: rdsiam-static' \
	    'Description: librdsiam linked statically (its dependencies as shared libraries)' \
	    'Version: $(VERSION)' \
	    'Requires: $(PC_REQUIRES)' \
	    'Libs: -L$${libdir} -l:librdsiam.a -pthread' \
	    'Cflags: -I$${includedir}' > $@

# The CMake package (find_package(rdsiam)): imported targets rdsiam::rdsiam
# (the shared library) and rdsiam::static (librdsiam.a and the libraries it
# needs). Paths are relative to the file's own place when the install
# directories lie under PREFIX, so a staged (DESTDIR) or moved install
# works too; otherwise they are the absolute install paths.
CMAKE_REL    = $(patsubst $(PREFIX)/%,%,$(CMAKEDIR))
CMAKE_UP     = $(if $(filter $(PREFIX)/%,$(CMAKEDIR)),$${CMAKE_CURRENT_LIST_DIR}$(subst $(space),,$(foreach d,$(subst /, ,$(CMAKE_REL)),/..)))
CMAKE_PATH   = $(if $(and $(CMAKE_UP),$(filter $(PREFIX)/%,$(1))),$${_rdsiam_prefix}/$(patsubst $(PREFIX)/%,%,$(1)),$(1))
CMAKE_DEPLIBS = $(subst $(space),;,$(strip $(DEP_LIBS)))
empty :=
space := $(empty) $(empty)

$(CMAKE_CONFIG): Makefile include/rdsiam.h $(PC_STAMP) $(CFLAGS_STAMP)
	@mkdir -p $(@D)
	printf '%s\n' \
	    '# rdsiamConfig.cmake - librdsiam $(VERSION), generated by its Makefile.' \
	    '#   find_package(rdsiam $(VERSION_MAJOR).$(VERSION_MINOR) REQUIRED)' \
	    '#   target_link_libraries(app PRIVATE rdsiam::rdsiam)   # or rdsiam::static' \
	    'get_filename_component(_rdsiam_prefix "$(or $(CMAKE_UP),$(PREFIX))" ABSOLUTE)' \
	    'set(rdsiam_VERSION $(VERSION))' \
	    'set(rdsiam_INCLUDE_DIRS "$(call CMAKE_PATH,$(INCLUDEDIR))")' \
	    'set(_rdsiam_libdir "$(call CMAKE_PATH,$(LIBDIR))")' \
	    'if(NOT TARGET rdsiam::rdsiam)' \
	    '  add_library(rdsiam::rdsiam SHARED IMPORTED)' \
	    '  set_target_properties(rdsiam::rdsiam PROPERTIES' \
	    '    IMPORTED_LOCATION "$${_rdsiam_libdir}/$(SO_REAL)"' \
	    '    IMPORTED_SONAME "$(SONAME)"' \
	    '    INTERFACE_INCLUDE_DIRECTORIES "$${rdsiam_INCLUDE_DIRS}")' \
	    'endif()' \
	    'if(NOT TARGET rdsiam::static)' \
	    '  add_library(rdsiam::static STATIC IMPORTED)' \
	    '  set_target_properties(rdsiam::static PROPERTIES' \
	    '    IMPORTED_LOCATION "$${_rdsiam_libdir}/librdsiam.a"' \
	    '    IMPORTED_LINK_INTERFACE_LANGUAGES C' \
	    '    INTERFACE_INCLUDE_DIRECTORIES "$${rdsiam_INCLUDE_DIRS}"' \
	    '    INTERFACE_LINK_LIBRARIES "$(CMAKE_DEPLIBS)")' \
	    'endif()' \
	    'set(rdsiam_LIBRARIES rdsiam::rdsiam)' \
	    'unset(_rdsiam_libdir)' \
	    'unset(_rdsiam_prefix)' > $@

# Any 0.x release is compatible only with the same minor version (the
# library is 0.x: minor releases may change the API); from 1.0 on, with
# the same major version.
$(CMAKE_VERSION_FILE): Makefile include/rdsiam.h
	@mkdir -p $(@D)
	printf '%s\n' \
	    '# rdsiamConfigVersion.cmake - librdsiam $(VERSION), generated by its Makefile.' \
	    'set(PACKAGE_VERSION $(VERSION))' \
	    'if(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)' \
	    '  set(PACKAGE_VERSION_COMPATIBLE FALSE)' \
	    'elseif(NOT PACKAGE_FIND_VERSION_MAJOR EQUAL $(VERSION_MAJOR))' \
	    '  set(PACKAGE_VERSION_COMPATIBLE FALSE)' \
	    'elseif($(VERSION_MAJOR) EQUAL 0 AND NOT PACKAGE_FIND_VERSION_MINOR EQUAL $(VERSION_MINOR))' \
	    '  set(PACKAGE_VERSION_COMPATIBLE FALSE)' \
	    'else()' \
	    '  set(PACKAGE_VERSION_COMPATIBLE TRUE)' \
	    '  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)' \
	    '    set(PACKAGE_VERSION_EXACT TRUE)' \
	    '  endif()' \
	    'endif()' \
	    'if(CMAKE_SIZEOF_VOID_P AND NOT CMAKE_SIZEOF_VOID_P EQUAL $(PTR_SIZE))' \
	    '  set(PACKAGE_VERSION "$${PACKAGE_VERSION} ($(PTR_SIZE)-byte pointers)")' \
	    '  set(PACKAGE_VERSION_UNSUITABLE TRUE)' \
	    'endif()' > $@

# ---------------------------------------------------------------------------
# install / uninstall

# The man pages as installed: docs/man/ with the version of rdsiam.h in
# each page's footer (.TH NAME SECTION DATE "librdsiam VERSION"), so a
# page never names another release than the library beside it. A page
# that only points at another (.so) is copied as it is.
MAN3 := $(patsubst docs/man/%,$(B)/man/%,$(wildcard docs/man/*.3))
MAN1 := $(patsubst docs/man/%,$(B)/man/%,$(wildcard docs/man/*.1))

$(B)/man/%: docs/man/% include/rdsiam.h
	@mkdir -p $(@D)
	@sed '1s/^\(\.TH [^ ]* [^ ]* [^ ]*\) "librdsiam[^"]*"/\1 "librdsiam $(VERSION)"/' $< >$@
	@sed -n '1{/^\.so /q;/^\.TH [^ ]* [^ ]* [^ ]* "librdsiam $(VERSION)"/q;q1}' $@ || \
	    { echo "$<: the first line must be .TH NAME SECTION DATE \"librdsiam\" \"librdsiam Manual\" (or .so)" >&2; rm -f $@; exit 1; }

man: $(MAN3) $(MAN1)

install: all man
	install -d $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(BINDIR)
	install -m 644 include/rdsiam.h $(DESTDIR)$(INCLUDEDIR)/rdsiam.h
	install -m 644 $(STATIC_LIB) $(DESTDIR)$(LIBDIR)/librdsiam.a
	install -m 755 $(SHARED_LIB) $(DESTDIR)$(LIBDIR)/$(SO_REAL)
	ln -sf $(SO_REAL) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/librdsiam.so
	install -m 644 $(PC_FILE) $(DESTDIR)$(PKGCONFIGDIR)/rdsiam.pc
	install -m 644 $(PC_STATIC_FILE) $(DESTDIR)$(PKGCONFIGDIR)/rdsiam-static.pc
	install -m 644 $(CMAKE_CONFIG) $(CMAKE_VERSION_FILE) $(DESTDIR)$(CMAKEDIR)/
	install -m 755 $(TOOL) $(DESTDIR)$(BINDIR)/rdsiam-token
	$(if $(MAN3),install -d $(DESTDIR)$(MANDIR)/man3 && install -m 644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/)
	$(if $(MAN1),install -d $(DESTDIR)$(MANDIR)/man1 && install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/)
	$(if $(DESTDIR),,$(LDCONFIG_STEP))

# Installing into the live system as root refreshes the dynamic loader's
# cache, so programs find the new librdsiam.so.N at once; a staged install
# (DESTDIR) leaves that to the package manager.
define LDCONFIG_STEP
@if [ "$$(id -u)" = 0 ]; then \
    echo "$(LDCONFIG)"; $(LDCONFIG) || exit 1; \
    $(LDCONFIG) -p | grep -qF '$(LIBDIR)/$(SONAME)' || \
        echo "note: $(LIBDIR) is not searched by the dynamic loader; add it to /etc/ld.so.conf.d/ and run ldconfig" >&2; \
else \
    echo "note: run ldconfig as root so programs find $(SONAME)" >&2; \
fi
endef

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/rdsiam.h \
	    $(DESTDIR)$(LIBDIR)/librdsiam.a \
	    $(DESTDIR)$(LIBDIR)/$(SO_REAL) \
	    $(DESTDIR)$(LIBDIR)/$(SONAME) \
	    $(DESTDIR)$(LIBDIR)/librdsiam.so \
	    $(DESTDIR)$(PKGCONFIGDIR)/rdsiam.pc \
	    $(DESTDIR)$(PKGCONFIGDIR)/rdsiam-static.pc \
	    $(DESTDIR)$(CMAKEDIR)/rdsiamConfig.cmake \
	    $(DESTDIR)$(CMAKEDIR)/rdsiamConfigVersion.cmake \
	    $(DESTDIR)$(BINDIR)/rdsiam-token \
	    $(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(MAN3))) \
	    $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1)))
	-rmdir $(DESTDIR)$(CMAKEDIR) 2>/dev/null

clean:
	rm -rf $(B)

FORCE:

.PHONY: all man install uninstall clean FORCE

# Tests, examples, the emulator and benchmarks add their own rules.
include $(sort $(wildcard tests/*.mk tests/*/*.mk examples/*.mk examples/*/*.mk))
