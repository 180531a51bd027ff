// SPDX-License-Identifier: MIT
/* vpanthor device: being written (see vpanthor/meson.build). */
#include "vp.h"
