/* SPDX-License-Identifier: MIT */
/* Power-of-two sizes (SZ_4K ... SZ_4G), as 64-bit values. */
#ifndef IGT_SIZES_H
#define IGT_SIZES_H

#ifndef SZ_4K
#define SZ_1K 0x00000400ull
#define SZ_4K 0x00001000ull
#define SZ_8K 0x00002000ull
#define SZ_16K 0x00004000ull
#define SZ_32K 0x00008000ull
#define SZ_64K 0x00010000ull
#define SZ_128K 0x00020000ull
#define SZ_256K 0x00040000ull
#define SZ_512K 0x00080000ull
#define SZ_1M 0x00100000ull
#define SZ_2M 0x00200000ull
#define SZ_4M 0x00400000ull
#define SZ_8M 0x00800000ull
#define SZ_16M 0x01000000ull
#define SZ_32M 0x02000000ull
#define SZ_64M 0x04000000ull
#define SZ_128M 0x08000000ull
#define SZ_256M 0x10000000ull
#define SZ_512M 0x20000000ull
#define SZ_1G 0x40000000ull
#define SZ_2G 0x80000000ull
#define SZ_4G 0x100000000ull
#endif

#endif /* IGT_SIZES_H */
