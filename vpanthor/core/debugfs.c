// SPDX-License-Identifier: MIT
/*
 * vpanthor debugfs: the registry of files served under /sys/kernel/debug/dri/<device>/, and the
 * core's files `name`, `clients` and `faults` (`gems` and `shrink` live in gem.c). Files of the
 * board's display driver are registered under the tag "display:" (display.c); the others are
 * panthor's.
 *
 * A read open gets a snapshot (a memfd filled by the file's show function under vp_dev.lock),
 * as seq_file gives a consistent view per read; a write is handed whole to the write function.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "board.h"
#include "core.h"

#define VP_DEBUGFS_MAX	32
#define VP_FAULTS_MAX	4096	/* fault records kept, oldest dropped first */

/* struct vp_debugfs_file - A registered file; the registry only grows. */
struct vp_debugfs_file {
	/** @name: file name under dri/<minor>/ (a string that outlives the device). */
	const char *name;
	/** @show: snapshot producer, or NULL (write-only); runs under vp_dev.lock. */
	vp_debugfs_show_fn show;
	/** @write: write handler, or NULL (read-only, opening for write is EACCES). */
	vp_debugfs_write_fn write;
};

static pthread_mutex_t vp_debugfs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vp_debugfs_file vp_files[VP_DEBUGFS_MAX];
static unsigned int vp_nfiles;

/* ------------------------------------------------------------------ buffers */

void vp_buf_append(struct vp_buf *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 4096;
		char *n;

		while (ncap < b->len + len + 1)
			ncap *= 2;
		n = realloc(b->data, ncap);
		if (!n)
			return;
		b->data = n;
		b->cap = ncap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = 0;
}

void vp_buf_printf(struct vp_buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		vp_buf_append(b, small, n);
		return;
	}
	{
		char *big = malloc(n + 1);

		if (!big)
			return;
		va_start(ap, fmt);
		vsnprintf(big, n + 1, fmt, ap);
		va_end(ap);
		vp_buf_append(b, big, n);
		free(big);
	}
}

void vp_buf_free(struct vp_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* ------------------------------------------------------------------ registry */

void vp_debugfs_register(const char *name, vp_debugfs_show_fn show, vp_debugfs_write_fn write)
{
	pthread_mutex_lock(&vp_debugfs_lock);
	for (unsigned int i = 0; i < vp_nfiles; i++) {
		if (!strcmp(vp_files[i].name, name)) {
			vp_files[i].show = show;
			vp_files[i].write = write;
			pthread_mutex_unlock(&vp_debugfs_lock);
			return;
		}
	}
	if (!vp_warn_on(vp_nfiles >= VP_DEBUGFS_MAX))
		vp_files[vp_nfiles++] = (struct vp_debugfs_file){ name, show, write };
	pthread_mutex_unlock(&vp_debugfs_lock);
}

static struct vp_debugfs_file *vp_debugfs_find(const char *name)
{
	struct vp_debugfs_file *f = NULL;

	pthread_mutex_lock(&vp_debugfs_lock);
	for (unsigned int i = 0; i < vp_nfiles; i++)
		if (!strcmp(vp_files[i].name, name))
			f = &vp_files[i];
	pthread_mutex_unlock(&vp_debugfs_lock);
	return f;
}

int vp_debugfs_list(const char *tag, int *memfd)
{
	size_t tl = strlen(tag);
	int fd;

	*memfd = -1;
	fd = memfd_create("vpanthor-debugfs-list", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	pthread_mutex_lock(&vp_debugfs_lock);
	for (unsigned int i = 0; i < vp_nfiles; i++) {
		const char *rest = vp_files[i].name + tl;

		/* Panthor's files have no tag: nothing before a ':'. */
		if (strncmp(vp_files[i].name, tag, tl) || (!tl && strchr(rest, ':')))
			continue;
		if (write(fd, "f", 1) != 1 || write(fd, rest, strlen(rest) + 1) < 0)
			break;
	}
	pthread_mutex_unlock(&vp_debugfs_lock);
	lseek(fd, 0, SEEK_SET);
	*memfd = fd;
	return 0;
}

int vp_debugfs_mode(const char *name)
{
	struct vp_debugfs_file *f = vp_debugfs_find(name);

	if (!f)
		return -ENOENT;
	return (f->show ? 0444 : 0) | (f->write ? 0200 : 0);
}

/* A memfd holding @b's text, rewound. */
static int vp_buf_memfd(struct vp_buf *b, int *memfd)
{
	int fd = memfd_create("vpanthor-debugfs", MFD_CLOEXEC);

	*memfd = -1;
	if (fd < 0)
		return -errno;
	for (size_t off = 0; off < b->len;) {
		ssize_t n = write(fd, b->data + off, b->len - off);

		if (n <= 0) {
			close(fd);
			return -EIO;
		}
		off += n;
	}
	lseek(fd, 0, SEEK_SET);
	*memfd = fd;
	return 0;
}

int vp_fdinfo_read(struct vp_file *f, const char *vfs, size_t vfs_len, int *memfd)
{
	struct vp_buf b = { 0 };
	int ret;

	/* seq_show() (fs/proc/fd.c): pos, flags, mnt_id, ino; then the file's show_fdinfo. */
	vp_buf_printf(&b, "%.*s", (int)vfs_len, vfs);
	pthread_mutex_lock(&vp_dev.lock);
	vp_show_fdinfo(f, &b);
	pthread_mutex_unlock(&vp_dev.lock);
	ret = vp_buf_memfd(&b, memfd);
	vp_buf_free(&b);
	return ret;
}

int vp_debugfs_read(const char *name, int *memfd)
{
	struct vp_debugfs_file *f = vp_debugfs_find(name);
	struct vp_buf b = { 0 };
	int fd, ret = 0;

	*memfd = -1;
	if (!f)
		return -ENOENT;
	if (f->show) {
		pthread_mutex_lock(&vp_dev.lock);
		f->show(&b);
		pthread_mutex_unlock(&vp_dev.lock);
	}
	fd = memfd_create("vpanthor-debugfs", MFD_CLOEXEC);
	if (fd < 0) {
		vp_buf_free(&b);
		return -errno;
	}
	for (size_t off = 0; off < b.len;) {
		ssize_t n = write(fd, b.data + off, b.len - off);

		if (n <= 0) {
			ret = -EIO;
			break;
		}
		off += n;
	}
	vp_buf_free(&b);
	if (ret) {
		close(fd);
		return ret;
	}
	lseek(fd, 0, SEEK_SET);
	*memfd = fd;
	return 0;
}

int vp_debugfs_write(const char *name, const char *data, size_t len)
{
	struct vp_debugfs_file *f = vp_debugfs_find(name);
	int ret;

	if (!f)
		return -ENOENT;
	if (!f->write)
		return -EACCES;
	pthread_mutex_lock(&vp_dev.lock);
	ret = f->write(data, len);
	pthread_mutex_unlock(&vp_dev.lock);
	return ret;
}

/* ------------------------------------------------------------------ name, clients */

static void vp_name_show(struct vp_buf *out)
{
	/* drm_name_info(): driver, dev= and unique= (the platform device's name). */
	vp_buf_printf(out, "%s dev=%s unique=%s\n", vp_dev.driver->name, vp_dev.board->gpu_dev,
		      vp_dev.board->gpu_dev);
}

static void vp_clients_show(struct vp_buf *out)
{
	/* drm_clients_info(): one line per open file, newest first, as the kernel's list. */
	vp_buf_printf(out, "%20s %5s %3s master a %5s %10s %20s\n",
		      "command", "tgid", "dev", "uid", "magic", "id");
	for (struct vp_file *f = vp_file_first(); f; f = f->next)
		vp_buf_printf(out, "%20s %5d %3d   %c    %c %5u %10u %20llu\n",
			      f->comm, (int)f->pid, vp_file_minor(f), f->master ? 'y' : 'n',
			      f->master ? 'y' : 'n', (unsigned int)getuid(), 0u,
			      (unsigned long long)f->client_id);
}

/* ------------------------------------------------------------------ faults */

/*
 * struct vp_fault_rec - One MMU fault, for `faults`, vpanthor's proposal for a driver fault
 * log (no kernel file reports faults; they are visible only in dmesg and GROUP_GET_STATE).
 */
struct vp_fault_rec {
	/** @usec: microseconds since the device started. */
	uint64_t usec;
	/** @client_id, @pid, @comm: the VM's file when known, else 0 / "-". */
	uint32_t client_id;
	pid_t pid;
	char comm[16];
	/** @as: the address space the VM was on. */
	int as;
	/** @fault: VA and AS_FAULTSTATUS as the MMU reported them. */
	struct vp_gpu_fault fault;
	/** @source: who accessed ("queue 0 of group 1 of client 3", "firmware: ..."). */
	char source[96];
};

static pthread_mutex_t vp_faults_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vp_fault_rec vp_faults[VP_FAULTS_MAX];
static uint64_t vp_nfaults;
static int64_t vp_faults_epoch;

static const char *const vp_access_names[] = { "ATOMIC", "EXECUTE", "READ", "WRITE" };

/*
 * panthor_exception_infos[] and panthor_exception_name() (panthor_device.c, with the
 * CS_UNRECOVERABLE entry of "drm/panthor: Handle CS_UNRECOVERABLE"), codes from
 * enum drm_panthor_exception_type (panthor_device.h): any other code, e.g. MAX_NON_FAULT,
 * is "Unknown exception type".
 */
static const struct {
	uint8_t code;
	const char *name;
} vp_exceptions[] = {
	{ 0x00, "OK" }, { 0x04, "TERMINATED" }, { 0x05, "KABOOM" }, { 0x06, "EUREKA" },
	{ 0x08, "ACTIVE" }, { 0x0f, "CS_RES_TERM" }, { 0x40, "CS_CONFIG_FAULT" },
	{ 0x41, "CS_UNRECOVERABLE" }, { 0x44, "CS_ENDPOINT_FAULT" }, { 0x48, "CS_BUS_FAULT" },
	{ 0x49, "CS_INSTR_INVALID" }, { 0x4a, "CS_CALL_STACK_OVERFLOW" },
	{ 0x4b, "CS_INHERIT_FAULT" }, { 0x50, "INSTR_INVALID_PC" }, { 0x51, "INSTR_INVALID_ENC" },
	{ 0x55, "INSTR_BARRIER_FAULT" }, { 0x58, "DATA_INVALID_FAULT" },
	{ 0x59, "TILE_RANGE_FAULT" }, { 0x5a, "ADDR_RANGE_FAULT" }, { 0x5b, "IMPRECISE_FAULT" },
	{ 0x60, "OOM" }, { 0x68, "CSF_FW_INTERNAL_ERROR" }, { 0x69, "CSF_RES_EVICTION_TIMEOUT" },
	{ 0x80, "GPU_BUS_FAULT" }, { 0x88, "GPU_SHAREABILITY_FAULT" },
	{ 0x89, "SYS_SHAREABILITY_FAULT" }, { 0x8a, "GPU_CACHEABILITY_FAULT" },
	{ 0xc0, "TRANSLATION_FAULT_0" }, { 0xc1, "TRANSLATION_FAULT_1" },
	{ 0xc2, "TRANSLATION_FAULT_2" }, { 0xc3, "TRANSLATION_FAULT_3" },
	{ 0xc4, "TRANSLATION_FAULT_4" }, { 0xc8, "PERM_FAULT_0" }, { 0xc9, "PERM_FAULT_1" },
	{ 0xca, "PERM_FAULT_2" }, { 0xcb, "PERM_FAULT_3" }, { 0xd9, "ACCESS_FLAG_1" },
	{ 0xda, "ACCESS_FLAG_2" }, { 0xdb, "ACCESS_FLAG_3" }, { 0xe0, "ADDR_SIZE_FAULT_IN" },
	{ 0xe4, "ADDR_SIZE_FAULT_OUT0" }, { 0xe5, "ADDR_SIZE_FAULT_OUT1" },
	{ 0xe6, "ADDR_SIZE_FAULT_OUT2" }, { 0xe7, "ADDR_SIZE_FAULT_OUT3" },
	{ 0xe8, "MEM_ATTR_FAULT_0" }, { 0xe9, "MEM_ATTR_FAULT_1" }, { 0xea, "MEM_ATTR_FAULT_2" },
	{ 0xeb, "MEM_ATTR_FAULT_3" },
};

const char *vp_exception_name(uint32_t code)
{
	for (size_t i = 0; i < sizeof(vp_exceptions) / sizeof(vp_exceptions[0]); i++)
		if (vp_exceptions[i].code == code)
			return vp_exceptions[i].name;
	return "Unknown exception type";
}

void vp_faults_record(struct vp_file *f, int as, const struct vp_gpu_fault *fault,
		      const char *source)
{
	struct vp_fault_rec *r;

	pthread_mutex_lock(&vp_faults_lock);
	r = &vp_faults[vp_nfaults % VP_FAULTS_MAX];
	memset(r, 0, sizeof(*r));
	r->usec = (uint64_t)(vp_now_ns() - vp_faults_epoch) / 1000;
	if (f) {
		r->client_id = f->client_id;
		r->pid = f->pid;
		memcpy(r->comm, f->comm, sizeof(r->comm));
	}
	r->as = as;
	r->fault = *fault;
	snprintf(r->source, sizeof(r->source), "%s", source ? source : "");
	vp_nfaults++;
	pthread_mutex_unlock(&vp_faults_lock);
}

static void vp_faults_show(struct vp_buf *out)
{
	uint64_t first;

	vp_buf_printf(out, "%-14s %-6s %-7s %-16s %-3s %-18s %-8s %-30s %s\n", "time_us", "client",
		      "pid", "comm", "as", "va", "access", "exception", "source");
	pthread_mutex_lock(&vp_faults_lock);
	first = vp_nfaults > VP_FAULTS_MAX ? vp_nfaults - VP_FAULTS_MAX : 0;
	for (uint64_t i = first; i < vp_nfaults; i++) {
		struct vp_fault_rec *r = &vp_faults[i % VP_FAULTS_MAX];
		uint32_t code = r->fault.status & 0xff;
		const char *exc = vp_exception_name(code);

		vp_buf_printf(out, "%-14llu %-6u %-7d %-16s %-3d 0x%016llx %-8s 0x%02x %-25s %s\n",
			      (unsigned long long)r->usec, r->client_id, (int)r->pid,
			      r->comm[0] ? r->comm : "-", r->as, (unsigned long long)r->fault.va,
			      vp_access_names[(r->fault.status >> 8) & 3], code, exc,
			      r->source[0] ? r->source : "-");
	}
	pthread_mutex_unlock(&vp_faults_lock);
}

void vp_debugfs_core_init(void)
{
	vp_faults_epoch = vp_now_ns();
	vp_debugfs_register("name", vp_name_show, NULL);
	vp_debugfs_register("clients", vp_clients_show, NULL);
	vp_debugfs_register("gems", vp_gems_show, NULL);
	vp_debugfs_register("shrink", vp_shrink_show, vp_shrink_write);
	vp_debugfs_register("faults", vp_faults_show, NULL);
}
