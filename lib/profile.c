/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The build profile (DESIGN §10): chosen at build time with the CMake
 * option VOUCH_PROFILE, so it is part of what the platform measures.
 */
#include "vouch.h"

#ifndef VOUCH_PROFILE_NAME
#error "VOUCH_PROFILE_NAME is set by CMakeLists.txt"
#endif

const char *
vouch_profile(void)
{
	return VOUCH_PROFILE_NAME;
}
