// SPDX-License-Identifier: MIT
#include <stdio.h>

int main(void)
{
	fprintf(stderr, "vpanthord: not built yet\n");
	return 1;
}
