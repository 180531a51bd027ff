/* SPDX-License-Identifier: MIT */
#ifndef RUNNER_MERGE_H
#define RUNNER_MERGE_H

#include "settings.h"

int merge_shards(struct settings *s);

#endif /* RUNNER_MERGE_H */
