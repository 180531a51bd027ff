// SPDX-License-Identifier: MIT
/* vpanthor quirks: being written (see vpanthor/meson.build). */
#include "vp.h"
