/* SPDX-License-Identifier: Apache-2.0 */
/* Internals of lib/report.c shared with its tests. */
#ifndef VOUCH_REPORT_H
#define VOUCH_REPORT_H

/* Host lines allowed at once before the one-per-second limit applies. */
#define REPORT_BURST		10
/* Tests only: a full bucket again. */
void	report_rate_reset(void);

#endif
