// SPDX-License-Identifier: MIT
/* vpanthor daemon: being written (see vpanthor/meson.build). */
#include "vp.h"
