/*
 * wipes.h - count the wipes of every region that holds a marker string,
 * through the library's wipe observer (rdsiam__set_wipe_observer), to prove
 * that each copy of a secret was wiped.
 *
 *     wipes_watch("the secret");
 *     ... the code under test ...
 *     assert_int_equal(wipes_stop(), 3);
 *
 * Not thread-safe: watch around code that runs on the calling thread.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_TEST_WIPES_H
#define RDSIAM_TEST_WIPES_H

/* Start counting wipes of regions that contain marker (borrowed: it must
 * outlive the watch). */
void wipes_watch(const char *marker);
/* Stop; the number of such wipes since wipes_watch. */
int wipes_stop(void);

#endif
