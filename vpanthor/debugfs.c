// SPDX-License-Identifier: MIT
/* vpanthor debugfs: being written (see vpanthor/meson.build). */
#include "vp.h"
