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

void vp_gpu_report_fault_file(struct vp_vm *vm, const struct vp_gpu_fault *fault,
			      const char *source, struct vp_file *file)
{
	struct vp_vmpriv *p = *vp_vm_gpu_priv(vm);
	struct vp_fault_rec *rec;
	char text[512];
	int as = -1;

	pthread_mutex_lock(&vp_gpu.lock);
	if (p) {
		/* The AS's interrupts are masked after the first fault: no second report. */
		if (p->faulted) {
			pthread_mutex_unlock(&vp_gpu.lock);
			return;
		}
		p->faulted = true;
		as = p->as;
	}
	rec = calloc(1, sizeof(*rec));
	if (rec) {
		rec->vmp = p;
		rec->file = file;
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
	vp_gpu_report_fault_file(vm, fault, source, NULL);
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
		struct vp_file *f;

		list = rec->next;
		/* A GPU thread may have read the group's file just before that file closed. */
		for (f = vp_dev.files; f && f != rec->file; f = f->next)
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
