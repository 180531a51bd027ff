// SPDX-License-Identifier: MIT
/* vpanthor interpose: being written (see vpanthor/meson.build). */
#include "vp.h"
