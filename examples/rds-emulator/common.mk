# examples/rds-emulator/common.mk - code both server plugins of the
# emulator compile in (mariadb.mk, pam.mk): the log-line escape.
# (Included before them: the Makefile includes the .mk files sorted.)
#
# SPDX-License-Identifier: MIT

EMU_COMMON_SRCS := examples/rds-emulator/common/log_escape.c
EMU_COMMON_HDRS := examples/rds-emulator/common/log_escape.h
