// SPDX-License-Identifier: MIT
/* vpanthor syncobj: being written (see vpanthor/meson.build). */
#include "vp.h"
