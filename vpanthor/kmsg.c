// SPDX-License-Identifier: MIT
/* vpanthor kmsg: being written (see vpanthor/meson.build). */
#include "vp.h"
