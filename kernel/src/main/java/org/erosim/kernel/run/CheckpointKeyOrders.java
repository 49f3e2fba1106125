package org.erosim.kernel.run;

import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.sched.ActivityDescriptor;
import org.erosim.kernel.sched.ActivityTable;

/**
 * CHECKPOINT TAKE (abi.md §4) as far as it goes today. It is <b>not</b> kernel.md §12's
 * checkpoint: it writes no activity list and no post records, it is not atomic (a crash in
 * the middle leaves a mix of old and new records), and nothing restarts from it. What it
 * does, in this order:
 * <ol>
 *   <li>writes every loaded process's registers, fault code and info, run state and
 *   receive fields from its process-table entry to its root node
 *   ({@link ProcessTable#syncRoot}; the invoker is recorded as resuming after its trap; a
 *   process whose activity sleeps is recorded with its answer's result code RESTART, see
 *   {@link #take});</li>
 *   <li>writes every dirty node and page back to the store ({@link ObjectCache#writeBackAll});
 *   objects stay in memory, now clean;</li>
 *   <li>flushes the store ({@code ObjectSource.flush}: for a store file, the directory
 *   checksum and the CLEAN flag, so the file is a complete store that passes the store
 *   checker; no fsync);</li>
 *   <li>drops every page table and TLB entry ({@code PageTableCache.reclaimTables}): a clean
 *   page must be mapped read-only so that the next guest write marks it dirty again, and a
 *   PTE made writable before the write-back would let writes go unseen by the next TAKE.</li>
 * </ol>
 * Under {@code erosim run} the store is the run's scratch copy of the image (docs/run.md):
 * the image file itself is never written. TAKE is not charged in the cost model beyond the
 * kernel-key invocation. Allocation-free.
 */
final class CheckpointKeyOrders {
    private final KernelMachine machine;
    private final ProcessTable processes;
    private final ActivityTable activities;
    private long taken;

    CheckpointKeyOrders(KernelMachine machine, ProcessTable processes, ActivityTable activities) {
        this.machine = machine;
        this.processes = processes;
        this.activities = activities;
    }

    /**
     * TAKE; the result code (OK). A sleeping process has had its SLEEP_FOR answered (OK in
     * its registers, past its trap) and waits only for its wake cycle, which no checkpoint
     * keeps: the checkpoint records its answer's result code as RESTART instead (abi.md: a
     * sleep cut short by a restart), so a restart from it goes on at once and knows it did
     * not sleep its time. The running system keeps the entry's OK.
     */
    int take() {
        for (int e = 0; e < processes.capacity(); e++) {
            if (processes.isInUse(e)) {
                processes.syncRoot(e);
                int a = processes.activity(e);
                if (a >= 0 && activities.state(a) == ActivityDescriptor.SLEEPING) {
                    processes.recordResultInRoot(e, ResultCode.RESTART);
                }
            }
        }
        ObjectCache cache = processes.cache();
        cache.writeBackAll();
        cache.source().flush();
        machine.tables().reclaimTables();
        taken++;
        machine.checkpointTaken(); // e.g. erosim run --checkpoint copies the store out
        return ResultCode.OK;
    }

    /** Checkpoints taken. */
    long taken() {
        return taken;
    }
}
