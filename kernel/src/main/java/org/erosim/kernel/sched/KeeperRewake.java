package org.erosim.kernel.sched;

import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.object.SlotWriteListener;
import org.erosim.kernel.process.ProcessTable;

/**
 * Keeper rewake (kernel.md §10, the fix): when a keeper changes, every invocation stalled on
 * the <em>old</em> keeper is woken, retries, and is redirected to the new one (or proceeds,
 * if nothing is kept any more). Without it those callers stay parked on the old keeper's
 * stall queue until that process happens to become AVAILABLE.
 *
 * <p>It is a {@link SlotWriteListener}: {@link Keys#store} is the one write path, so no slot
 * write escapes it. A write triggers a rewake when, for a semantic change (a write or a
 * revocation; preparing and depreparing change only the representation):
 * <ol>
 *   <li>the slot is the <b>keeper slot of a red segment</b> per the node's current format
 *   key, and the old key was a start key — wake the old start key's process's queue;</li>
 *   <li>the slot is a red segment's <b>format key</b> (slot 31), the old format named a keeper
 *   slot, and that slot holds a start key — wake that keeper's queue (the keeper slot itself
 *   may have moved, or the node stopped being kept);</li>
 *   <li>the slot is a <b>process's keeper slot</b> (root slot 1 of a process loaded in the
 *   process table: a process that is not loaded has no faults latched and no activity) and
 *   the old key was a start key — wake that old keeper's queue.</li>
 * </ol>
 * Waking is {@link Scheduler#wakeAll} whatever the run's wake policy: every sleeper must
 * learn that its keeper changed. Wakeups are hints (kernel.md §6): a sleeper that was
 * stalled on that keeper for another reason just stalls again, so no case needs to be exact,
 * only complete.
 *
 * <p>Invariants: allocation-free; writes no keys (Keys' listener contract); the old key's
 * object is still in memory during the call (a prepared old key names it by handle).
 */
public final class KeeperRewake implements SlotWriteListener {
    private final Keys keys;
    private final NodeTable nodes;
    private final ProcessTable processes;
    private final Scheduler scheduler;
    private boolean enabled = true;

    private long rewakes;
    private long sleepersWoken;

    public KeeperRewake(Keys keys, NodeTable nodes, ProcessTable processes, Scheduler scheduler) {
        this.keys = keys;
        this.nodes = nodes;
        this.processes = processes;
        this.scheduler = scheduler;
    }

    /** {@code --no-keeper-rewake}: the original EROS behaviour, for comparison. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Keeper changes that woke a non-empty stall queue. */
    public long rewakes() {
        return rewakes;
    }

    /** Activities woken by those rewakes. */
    public long sleepersWoken() {
        return sleepersWoken;
    }

    @Override
    public void slotWritten(int location, int oldTail, long oldBody01, int oldBody2, int newTail, int cause) {
        if (!enabled || cause == CAUSE_PREPARE || cause == CAUSE_DEPREPARE
            || KeyLocation.tag(location) != KeyLocation.NODE_SLOT) {
            return;
        }
        int node = KeyLocation.node(location);
        int slot = KeyLocation.slot(location);
        int oldType = KeyDescriptor.type(oldTail);
        if (slot == RedSegmentFormat.FORMAT_SLOT) {
            if (oldType == KeyType.NUMBER && KeyDescriptor.type(newTail) != KeyType.NUMBER
                || oldType == KeyType.NUMBER && (int) oldBody01 != (int) keys.oidAt(location)) {
                formatChanged((int) oldBody01, node);
            }
            return;
        }
        if (oldType != KeyType.START) {
            return;
        }
        if (slot == keys.redSegmentKeeperSlot(node) || slot == ProcessLayout.SLOT_KEEPER && isLoadedProcessRoot(node)) {
            wakeProcess(KeyDescriptor.isPrepared(oldTail) ? nodes.oid(oldBody2) : oldBody01);
        }
    }

    /** Case 2: the old format word {@code word} of {@code node} named a keeper slot. */
    private void formatChanged(int word, int node) {
        if (!RedSegmentFormat.isWellFormed(word) || RedSegmentFormat.keeperSlot(word) == RedSegmentFormat.NONE) {
            return;
        }
        int keeper = KeyLocation.nodeSlot(node, RedSegmentFormat.keeperSlot(word));
        int tail = keys.tailAt(keeper);
        if (KeyDescriptor.type(tail) == KeyType.START) {
            wakeProcess(KeyDescriptor.isPrepared(tail) ? nodes.oid(keys.word2At(keeper)) : keys.oidAt(keeper));
        }
    }

    private boolean isLoadedProcessRoot(int node) {
        return nodes.processEntry(node) != ProcessTable.NONE;
    }

    /** Wakes every sleeper on the stall queue of process {@code oid}, if it is loaded (an unloaded one has none). */
    private void wakeProcess(long oid) {
        int entry = processes.find(oid);
        if (entry == ProcessTable.NONE) {
            return;
        }
        int woken = scheduler.wakeAll(QueueId.process(entry));
        if (woken > 0) {
            rewakes++;
            sleepersWoken += woken;
        }
    }
}
