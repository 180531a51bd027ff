// SPDX-License-Identifier: MIT
/*
 * vpanthor gpu: fault reporting.
 *
 * The MMU IRQ path of panthor_mmu.c (panthor-uapi.md §3.5): one six-line drm_err per fault,
 * the AS disabled and its interrupts masked (further faults of that VM are not reported until
 * it is activated again), vm->unhandled_fault set, and an immediate scheduler tick in which
 * every resident group of the VM is killed. The CS_FATAL message of the firmware event path
 * (§5.2) for the errors the interpreter raises itself.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu.h"

static const char *access_type_name(uint32_t status)
{
	switch ((status >> 8) & 3) {
	case VP_ACCESS_ATOMIC:
		return "ATOMIC";
	case VP_ACCESS_EXECUTE:
		return "EXECUTE";
	case VP_ACCESS_READ:
		return "READ";
	default:
		return "WRITE";
	}
}

/**
 * vp_format_fault() - The text of panthor's "Unhandled Page fault" drm_err, without prefix.
 *
 * Returns snprintf()'s result.
 */
int vp_format_fault(char *buf, size_t len, int as, const struct vp_gpu_fault *fault)
{
	uint32_t st = fault->status;

	return snprintf(buf, len,
			"Unhandled Page fault in AS%d at VA 0x%016" PRIX64 "\n"
			"raw fault status: 0x%X\n"
			"decoded fault status: %s\n"
			"exception type 0x%X: %s\n"
			"access type 0x%X: %s\n"
			"source id 0x%X",
			as, fault->va, st, (st & (1u << 10)) ? "DECODER FAULT" : "SLAVE FAULT",
			st & 0xff, vp_exception_name(st & 0xff), (st >> 8) & 3,
			access_type_name(st), st >> 16);
}

void vp_gpu_report_fault_client(struct vp_vm *vm, const struct vp_gpu_fault *fault,
				const char *source, uint32_t client_id)
{
	struct vp_vmpriv *p = *vp_vm_gpu_priv(vm);
	struct vp_fault_rec *rec;
	char text[512];
	int as = -1;

	pthread_mutex_lock(&vp_gpu.lock);
	if (p) {
		/* The AS's interrupts are masked after the first fault: no second report. */
		if (atomic_load(&p->faulted)) {
			pthread_mutex_unlock(&vp_gpu.lock);
			return;
		}
		atomic_store(&p->faulted, true);
		as = p->as;
	}
	rec = calloc(1, sizeof(*rec));
	if (rec) {
		rec->vmp = p;
		rec->client_id = client_id;
		rec->as = as;
		rec->fault = *fault;
		snprintf(rec->source, sizeof(rec->source), "%s", source);
		rec->next = vp_gpu.faults;
		vp_gpu.faults = rec;
	}
	pthread_mutex_unlock(&vp_gpu.lock);

	vp_format_fault(text, sizeof(text), as, fault);
	vp_kmsg(VP_KERN_ERR, VP_DRM_ERR_PREFIX "%s", text);
	/* panthor_sched_report_mmu_fault(): an immediate tick. */
	vp_sched_kick_unlocked();
}

void vp_gpu_report_fault(struct vp_vm *vm, const struct vp_gpu_fault *fault, const char *source)
{
	vp_gpu_report_fault_client(vm, fault, source, 0);
}

void vp_gpu_log_cs_fatal(struct vp_group *g, int slot, unsigned int queue,
			 const struct vp_cs *cs)
{
	/* cs_slot_process_fatal_event_locked(): one drm_warn, the lines of §5.2. */
	vp_kmsg(VP_KERN_WARNING, VP_DRM_WARN_PREFIX
		"CS_FATAL: pid=%d, comm=%s\n"
		"CSG slot %d CS slot: %u\n"
		"CS_FATAL.EXCEPTION_TYPE: 0x%x (%s)\n"
		"CS_FATAL.EXCEPTION_DATA: 0x%x\n"
		"CS_FATAL_INFO.EXCEPTION_DATA: 0x%" PRIx64,
		(int)g->pid, g->comm, slot, queue, cs->fatal_type,
		vp_exception_name(cs->fatal_type), cs->fatal_data, cs->fatal_info);
}

/*
 * The tick's part of the fault path (tick_ctx_init()): record each fault in `faults`, then
 * every group resident on the faulted VM gets fatal_queues: the queues the firmware flagged,
 * or all of them if none was. Called with vp_dev.lock.
 */
void vp_gpu_process_faults_locked(void)
{
	struct vp_fault_rec *list, *rec, *prev = NULL;

	pthread_mutex_lock(&vp_gpu.lock);
	list = vp_gpu.faults;
	vp_gpu.faults = NULL;
	pthread_mutex_unlock(&vp_gpu.lock);

	/* Oldest first. */
	while (list) {
		rec = list->next;
		list->next = prev;
		prev = list;
		list = rec;
	}
	for (rec = prev; rec; rec = list) {
		struct vp_file *f = NULL;

		list = rec->next;
		/* The group's file, if it is still open: client ids are never reused. */
		if (rec->client_id)
			for (f = vp_dev.files; f && f->client_id != rec->client_id; f = f->next)
				;
		vp_faults_record(f, rec->as, &rec->fault, rec->source);
		for (struct vp_group *g = vp_gpu.groups; g; g = g->next_all) {
			uint32_t flagged = 0;

			if (g->slot < 0 || g->vmp != rec->vmp || !rec->vmp)
				continue;
			pthread_mutex_lock(&vp_gpu.lock);
			for (unsigned int i = 0; i < g->nqueues; i++) {
				if (g->queues[i]->fatal_pending)
					flagged |= 1u << i;
				g->queues[i]->fatal_pending = false;
			}
			pthread_mutex_unlock(&vp_gpu.lock);
			if (!flagged)
				flagged = (g->nqueues >= 32 ? 0 : (1u << g->nqueues)) - 1;
			g->fatal_queues |= flagged;
		}
		free(rec);
	}
}

/* ------------------------------------------------------------------ debugfs `faults` */

#define VP_FAULTS_MAX	4096	/* fault records kept, oldest dropped first */

/*
 * struct vp_fault_log_rec - One MMU fault, for `faults`, vpanthor's proposal for a driver fault
 * log (no kernel file reports faults; they are visible only in dmesg and GROUP_GET_STATE).
 */
struct vp_fault_log_rec {
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
static struct vp_fault_log_rec vp_faults[VP_FAULTS_MAX];
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
	struct vp_fault_log_rec *r;

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
		struct vp_fault_log_rec *r = &vp_faults[i % VP_FAULTS_MAX];
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

void vp_faults_init(void)
{
	vp_faults_epoch = vp_now_ns();
	vp_debugfs_register("faults", vp_faults_show, NULL);
}
