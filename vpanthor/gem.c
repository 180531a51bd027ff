// SPDX-License-Identifier: MIT
/* vpanthor gem: being written (see vpanthor/meson.build). */
#include "vp.h"
