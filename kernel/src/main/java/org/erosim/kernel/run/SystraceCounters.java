package org.erosim.kernel.run;

import org.erosim.kernel.abi.KernelCounters;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.sched.Scheduler;

/**
 * SYSTRACE READ_COUNTERS and RESET_COUNTERS: the kernel counters of {@link KernelCounters}
 * (the layout, mirrored by the SDK header). The counters themselves belong to the classes
 * that count (machine, scheduler, object cache, invocation path) and are never cleared:
 * RESET records a baseline and READ answers the differences, so the run's statistics
 * (--stats) stay whole. Allocation-free.
 */
final class SystraceCounters {
    private final KernelMachine machine;
    private final Invocation invocation;
    private final Scheduler scheduler;
    private final ObjectCache cache;
    private final CheckpointKeyOrders checkpoint;
    private final long[] base = new long[KernelCounters.COUNT];
    private final long[] now = new long[KernelCounters.COUNT];

    SystraceCounters(KernelMachine machine, Invocation invocation, Scheduler scheduler, CheckpointKeyOrders checkpoint) {
        this.machine = machine;
        this.invocation = invocation;
        this.scheduler = scheduler;
        this.cache = scheduler.processes().cache();
        this.checkpoint = checkpoint;
        reset();
    }

    /** RESET_COUNTERS: the current values become the zero of later reads. */
    void reset() {
        sample(base);
    }

    /** READ_COUNTERS: writes the counters string to {@code out}; returns its length. */
    int read(byte[] out) {
        sample(now);
        putU32(out, KernelCounters.VERSION, KernelCounters.VERSION_CURRENT);
        putU32(out, KernelCounters.RESERVED, 0);
        for (int i = 0; i < KernelCounters.COUNT; i++) {
            long v = now[i] - base[i];
            int at = KernelCounters.FIRST + 8 * i;
            putU32(out, at, (int) v);
            putU32(out, at + 4, (int) (v >>> 32));
        }
        return KernelCounters.SIZE;
    }

    private static int slot(int offset) {
        return (offset - KernelCounters.FIRST) / 8;
    }

    private void sample(long[] v) {
        v[slot(KernelCounters.CYCLES)] = machine.cycles();
        v[slot(KernelCounters.INSTRUCTIONS)] = machine.cpu.instructions;
        v[slot(KernelCounters.KERNEL_CYCLES)] = machine.costs().total();
        v[slot(KernelCounters.TRAPS)] = machine.traps();
        long invocations = 0;
        for (long n : invocation.byInvocationType) {
            invocations += n;
        }
        v[slot(KernelCounters.INVOCATIONS)] = invocations;
        v[slot(KernelCounters.GATE_INVOCATIONS)] = invocation.gateInvocations;
        v[slot(KernelCounters.STALLS)] = scheduler.enqueues();
        v[slot(KernelCounters.WAKEUPS)] = scheduler.wakeups();
        v[slot(KernelCounters.RETRIES)] = scheduler.retries();
        v[slot(KernelCounters.RESTALLS)] = scheduler.restalls();
        v[slot(KernelCounters.TIMER_WAKEUPS)] = scheduler.timerWakeups();
        v[slot(KernelCounters.DISPATCHES)] = scheduler.dispatches();
        v[slot(KernelCounters.PREEMPTIONS)] = scheduler.preemptions();
        v[slot(KernelCounters.PAGE_FAULTS)] = machine.pageFaults();
        v[slot(KernelCounters.PROCESS_FAULTS)] = machine.processFaults();
        v[slot(KernelCounters.MARKS)] = invocation.marks;
        v[slot(KernelCounters.OBJECT_FAULTS)] = cache.faults();
        v[slot(KernelCounters.EVICTIONS)] = cache.evictions();
        v[slot(KernelCounters.WRITE_BACKS)] = cache.writeBacks();
        v[slot(KernelCounters.CHECKPOINTS)] = checkpoint.taken();
    }

    private static void putU32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
