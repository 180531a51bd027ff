// SPDX-License-Identifier: MIT
/*
 * vpanthor quirks: the bug zoo. Each entry names a historical (or plausible) driver bug that
 * VPANTHOR_QUIRKS=name,... switches back on; the owner part implements the site, reproducing
 * only the bug's observable effect, deterministically. `vpanthord --list-quirks` (and
 * VPANTHOR_QUIRKS=list under the preload library) prints this table.
 *
 * Sources: the patch, version and date that fixed (or, in review, caught) the bug, as the
 * project's issue #3 and the uAPI fact sheet give them. Entries whose source is "bug class"
 * have no known upstream instance: they are mutations of a rule the driver enforces, kept
 * so that the test guarding the rule is shown to catch its loss. The entries after "Regression
 * quirks" each bring back the state before one upstream fix; docs/regressions.md maps them to
 * the fix and to the subtests whose igt_describe() cites it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

struct vp_quirk_desc {
	const char *name;
	const char *source;
	const char *effect;
};

static const struct vp_quirk_desc vp_quirk_table[VP_QUIRK_COUNT] = {
	[VP_QUIRK_BO_OFFSET_SUBTRACT] = {
		"bo-offset-subtract",
		"v4 review of \"drm/panthor: Add the MMU/VM logical block\" (Feb 2024)",
		"a MAP with bo_offset maps paddr - offset instead of paddr + offset",
	},
	[VP_QUIRK_HUGEPAGE_NO_REMAP] = {
		"hugepage-no-remap",
		"before \"drm/panthor: Support partial unmaps of huge pages\" (Dec 2025)",
		"a partial unmap inside a 2 MiB block tears the whole block down, survivors unmapped",
	},
	[VP_QUIRK_HUGEPAGE_SPLIT_WARN] = {
		"hugepage-split-warn",
		"io-pgtable-arm \"remove split on unmap\" era (33729a5fc0ca)",
		"a partial unmap of a 2 MiB block hits the short-unmap WARN and the VM goes unusable",
	},
	[VP_QUIRK_HUGEPAGE_LOCK_END] = {
		"hugepage-lock-end",
		"v4 of \"drm/panthor: Support partial unmaps of huge pages\" (Dec 2025)",
		"the widened lock is given the end address as its size; modelled as the widened "
		"range left unlocked (the real arithmetic over-locks: a stall, not a fault)",
	},
	[VP_QUIRK_LOCK_REGION_NO_EXPAND] = {
		"lock-region-no-expand",
		"\"drm/panthor: Explicit expansion of locked VM region\" (Ketil Johnsen, May 2026)",
		"the widened range of a huge-page remap is not locked: the GPU sees survivors unmapped",
	},
	[VP_QUIRK_LOCK_REGION_LEAK] = {
		"lock-region-leak",
		"\"drm/panthor: Explicit expansion of locked VM region\" (motivation, May 2026)",
		"a remap that expanded the lock leaves a region locked after the op",
	},
	[VP_QUIRK_VM_DESTROY_NO_EVICT] = {
		"vm-destroy-no-evict",
		"before 565ed40b5fc1 \"drm/panthor: Evict groups before VM termination\" (Dec 2025)",
		"VM destruction unmaps the heap context before resident groups are evicted",
	},
	[VP_QUIRK_SPARSE_SHARED_DUMMY] = {
		"sparse-shared-dummy",
		"before v7 of \"drm/panthor: Support sparse mappings\" (2026)",
		"one dummy BO backs the sparse mappings of every file",
	},
	[VP_QUIRK_SPARSE_EXEC_ALLOWED] = {
		"sparse-exec-allowed",
		"before v8 of \"drm/panthor: Support sparse mappings\" (2026)",
		"MAP_SPARSE without MAP_NOEXEC is accepted",
	},
	[VP_QUIRK_SPARSE_BO_ACCEPTED] = {
		"sparse-bo-accepted",
		"before v6 of \"drm/panthor: Support sparse mappings\" (2026)",
		"MAP_SPARSE with a BO handle or offset is accepted",
	},
	[VP_QUIRK_SPARSE_EVICT_RESTORE] = {
		"sparse-evict-restore",
		"v12 of \"drm/panthor: Support sparse mappings\" (2026)",
		"an evicted sparse VMA is not restored",
	},
	[VP_QUIRK_SPARSE_DUMMY_LEAK] = {
		"sparse-dummy-leak",
		"v11/v13 of \"drm/panthor: Support sparse mappings\" (2026)",
		"the dummy BO reference is leaked when a VM goes away",
	},
	[VP_QUIRK_EVICTED_PARTIAL_UNMAP] = {
		"evicted-partial-unmap",
		"\"drm/panthor: Fix NPD issue on partial unmap of an evicted BO\" (Akash Goel, Jul 2026)",
		"partial unmap of an evicted BO's VMA oopses (log) and leaves the VM unusable",
	},
	[VP_QUIRK_DESTROY_INVALID_OK] = {
		"destroy-invalid-ok",
		"bug class (no upstream instance known): VM pool lookup result ignored",
		"VM_DESTROY of an unknown id returns 0",
	},
	[VP_QUIRK_ASYNC_FAIL_USABLE] = {
		"async-fail-usable",
		"bug class (no upstream instance known): failed bind job not marking the VM",
		"a failed async VM_BIND leaves the VM usable",
	},
	[VP_QUIRK_BO_NOT_ZEROED] = {
		"bo-not-zeroed",
		"bug class (no upstream instance known): pages recycled without clearing",
		"a new BO may hold a freed BO's data (same-size re-allocation gets the stale range)",
	},
	[VP_QUIRK_FAULT_STATE_MISSING] = {
		"fault-state-missing",
		"bug class (no upstream instance known): fatal_queues not set on an MMU fault",
		"a faulted group does not report FATAL_FAULT",
	},
	[VP_QUIRK_SUBMIT_AFTER_FATAL] = {
		"submit-after-fatal",
		"before 412a2a8fdd4e \"drm/panthor: Fail job creation when the group is dead\" "
		"(Oct 2024)",
		"GROUP_SUBMIT to a fatal group is accepted",
	},
	[VP_QUIRK_READONLY_WRITABLE] = {
		"readonly-writable",
		"bug class (no upstream instance known): MAP_READONLY not turned into IOMMU prot",
		"GPU writes to READONLY mappings succeed",
	},
	[VP_QUIRK_REMAP_NEXT_OFFSET] = {
		"remap-next-offset",
		"bug class (no upstream instance known): drm_gpuvm remap next.offset arithmetic",
		"a remap computes the right-hand remainder's bo_offset wrongly",
	},
	/* Regression quirks: each is the state before one upstream fix (docs/regressions.md). */
	[VP_QUIRK_UOBJ_EMPTY_STRIDE] = {
		"uobj-empty-stride",
		"before 1a9a71439cc1 \"drm/panthor: Don't check the array stride on empty uobj "
		"arrays\" (Jul 2024)",
		"an empty array (count 0) with a zero stride is refused with EINVAL",
	},
	[VP_QUIRK_SYNC_ONLY_EARLY] = {
		"sync-only-early",
		"before 7b6f9ec6ad51 \"drm/panthor: Fix sync-only jobs\" (Jul 2024)",
		"a sync-only job signals as soon as its dependencies do, not after the queue's "
		"earlier jobs",
	},
	[VP_QUIRK_HEAP_INITIAL_OVER_MAX] = {
		"heap-initial-over-max",
		"before e3193f0fbd6d \"drm/panthor: Make sure the tiler initial/max chunks are "
		"consistent\" (May 2024)",
		"TILER_HEAP_CREATE accepts initial_chunk_count > max_chunks",
	},
	[VP_QUIRK_HEAP_CHUNK_POW2] = {
		"heap-chunk-pow2",
		"before 69a429905cec \"drm/panthor: Relax the constraints on the tiler chunk "
		"size\" (May 2024)",
		"TILER_HEAP_CREATE wants a power-of-two chunk_size in [256 KiB, 2 MiB]",
	},
	[VP_QUIRK_HEAP_CTX_OFF_BY_ONE] = {
		"heap-ctx-off-by-one",
		"before 8e43b1e537d4 \"drm/panthor: Fix an off-by-one in the heap context "
		"retrieval logic\" (May 2024)",
		"heap ids run 1..128 over a 128-slot context pool: the last context lies past it",
	},
	[VP_QUIRK_PRIORITY_UNRESTRICTED] = {
		"priority-unrestricted",
		"before 5f7762042f8a \"drm/panthor: Restrict high priorities on group_create\" "
		"(Sep 2024)",
		"any client may create HIGH (and REALTIME) priority groups",
	},
	[VP_QUIRK_NO_MMAP_OFFSET] = {
		"no-mmap-offset",
		"before b437b8f745e2 \"drm/panthor: Don't create a file offset for NO_MMAP BOs\" "
		"(Apr 2025)",
		"BO_MMAP_OFFSET gives a NO_MMAP BO an offset that mmap() then refuses (EINVAL)",
	},
	[VP_QUIRK_UNMAP_SPLIT_OOPS] = {
		"unmap-split-oops",
		"before \"drm/panthor: Fix kernel panic on partial unmap of a GPU VA region\" "
		"(Akash Goel, Oct 2025)",
		"an UNMAP leaving pieces on both sides of a VMA oopses (log); the VM goes unusable",
	},
	[VP_QUIRK_SHARED_BO_WRITE_FENCE] = {
		"shared-bo-write-fence",
		"before f9e7ac6e2e99 \"drm/panthor: Don't add write fences to the shared BOs\" "
		"(Sep 2024)",
		"every job adds its fence to each shared BO mapped in its VM as a write: dma-buf "
		"poll() and EXPORT_SYNC_FILE wait for it",
	},
	[VP_QUIRK_TIMEOUT_RUNS_OFF_SLOT] = {
		"timeout-runs-off-slot",
		"before \"drm/panthor: Make the timeout per-queue instead of per-job\" (v6, Nov "
		"2025)",
		"a job entering the ring while its group waits for a CSG slot, behind another job of "
		"its queue, restarts the 5 s timeout, which then runs off slot",
	},
};

/*
 * Set before any client is served (unit tests switch single quirks between checks), read
 * lock-free from any thread: every access is atomic.
 */
static bool vp_quirks_on[VP_QUIRK_COUNT];

/*
 * The evaluation trace (VPANTHOR_QUIRK_TRACE=path, for the bug-zoo gate): every vp_quirk()
 * call marks its quirk in @vp_trace_seen; each "[IGT] <bin>: ..." marker a test writes to the
 * kernel log closes the window the previous marker opened, as one line "<bin>\t<window>\t<quirks,>"
 * (the window: "(fixture)" after "executing", the subtest's name after "starting subtest", a
 * dynamic subtest counting as its subtest, "(exit)" after "exiting"). A quirk whose check no
 * subtest of a clean run evaluated cannot change what that subtest does.
 */
static bool vp_tracing;
static uint64_t vp_trace_seen;
static FILE *vp_trace;
static pthread_mutex_t vp_trace_lock = PTHREAD_MUTEX_INITIALIZER;
static char vp_trace_bin[64], vp_trace_window[256];

_Static_assert(VP_QUIRK_COUNT <= 64, "the trace keeps one bit per quirk");

bool vp_quirk(enum vp_quirk q)
{
	if ((unsigned int)q >= VP_QUIRK_COUNT)
		return false;
	if (vp_tracing)
		__atomic_fetch_or(&vp_trace_seen, 1ull << q, __ATOMIC_RELAXED);
	return __atomic_load_n(&vp_quirks_on[q], __ATOMIC_RELAXED);
}

void vp_quirk_set(enum vp_quirk q, bool on)
{
	if ((unsigned int)q < VP_QUIRK_COUNT)
		__atomic_store_n(&vp_quirks_on[q], on, __ATOMIC_RELAXED);
}

int vp_quirks_trace_open(const char *path)
{
	vp_trace = fopen(path, "a");
	if (!vp_trace)
		return -errno;
	setvbuf(vp_trace, NULL, _IOLBF, 0);
	vp_tracing = true;
	return 0;
}

void vp_quirks_trace_marker(const char *text, size_t len)
{
	static const char igt[] = "[IGT] ";
	const char *colon, *what;
	char msg[256];
	uint64_t seen;
	size_t n;

	if (!vp_tracing || len <= sizeof(igt) - 1 || memcmp(text, igt, sizeof(igt) - 1))
		return;
	n = len < sizeof(msg) - 1 ? len : sizeof(msg) - 1;
	memcpy(msg, text, n);
	msg[n] = 0;
	msg[strcspn(msg, "\n")] = 0;
	colon = strstr(msg, ": ");
	if (!colon)
		return;
	what = colon + 2;
	pthread_mutex_lock(&vp_trace_lock);
	seen = __atomic_exchange_n(&vp_trace_seen, 0, __ATOMIC_RELAXED);
	if (vp_trace_window[0]) {
		fprintf(vp_trace, "%s\t%s\t", vp_trace_bin, vp_trace_window);
		for (int q = 0, first = 1; q < VP_QUIRK_COUNT; q++) {
			if (!(seen & (1ull << q)))
				continue;
			fprintf(vp_trace, "%s%s", first ? "" : ",", vp_quirk_table[q].name);
			first = 0;
		}
		fputc('\n', vp_trace);
	}
	snprintf(vp_trace_bin, sizeof(vp_trace_bin), "%.*s", (int)(colon - msg - 6), msg + 6);
	if (!strcmp(what, "executing"))
		snprintf(vp_trace_window, sizeof(vp_trace_window), "(fixture)");
	else if (!strncmp(what, "starting subtest ", 17))
		snprintf(vp_trace_window, sizeof(vp_trace_window), "%s", what + 17);
	else if (!strncmp(what, "exiting", 7))
		snprintf(vp_trace_window, sizeof(vp_trace_window), "(exit)");
	/* "starting dynamic subtest", "add ignored dmesg regex": the window goes on. */
	pthread_mutex_unlock(&vp_trace_lock);
}

int vp_quirks_parse(const char *list, char *err, size_t errlen)
{
	bool on[VP_QUIRK_COUNT] = { 0 };
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ", ");
		int q;

		if (!len) {
			p++;
			continue;
		}
		for (q = 0; q < VP_QUIRK_COUNT; q++)
			if (strlen(vp_quirk_table[q].name) == len &&
			    !strncmp(vp_quirk_table[q].name, p, len))
				break;
		/* Never a silent clean device: an unknown name is an error. */
		if (q == VP_QUIRK_COUNT) {
			snprintf(err, errlen, "unknown quirk '%.*s' (vpanthord --list-quirks lists them)",
				 (int)len, p);
			return -EINVAL;
		}
		on[q] = true;
		p += len;
	}
	for (int q = 0; q < VP_QUIRK_COUNT; q++)
		vp_quirk_set(q, on[q]);
	return 0;
}

void vp_quirks_print(FILE *out)
{
	for (int q = 0; q < VP_QUIRK_COUNT; q++)
		fprintf(out, "%s\t%s\t%s\n", vp_quirk_table[q].name, vp_quirk_table[q].source,
			vp_quirk_table[q].effect);
}

void vp_quirks_enabled_string(char *buf, size_t len)
{
	size_t n = 0;

	if (len)
		buf[0] = 0;
	for (int q = 0; q < VP_QUIRK_COUNT && n < len; q++)
		if (vp_quirk(q))
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "", vp_quirk_table[q].name);
}
