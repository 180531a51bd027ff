// SPDX-License-Identifier: MIT
/* vpanthor client: being written (see vpanthor/meson.build). */
#include "vp.h"
