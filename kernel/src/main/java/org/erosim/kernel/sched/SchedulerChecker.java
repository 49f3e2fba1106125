package org.erosim.kernel.sched;

import static org.erosim.kernel.sched.ActivityDescriptor.NONE;

import java.util.ArrayList;
import java.util.List;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.process.ProcessDescriptor;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.space.PageTableCache;

/**
 * The scheduling part of the consistency checker (kernel.md §12). Verifies:
 * <ul>
 *   <li>every activity in use is on exactly one queue - the ready queue, one stall queue (of a
 *   node or a process entry in memory), the sleep heap - or is the running one, and its state
 *   and queue fields say which; free activities are FREE and the free list holds exactly them;</li>
 *   <li>queue links are well formed: prev and next agree, the walk from the head ends at the
 *   tail, no activity is met twice, the ready count and every stall queue's length are right;
 *   a stall queue's members are in its current wake epoch, and a ready-queue member still
 *   labelled STALLED (spliced by a wake-all) is in a past one; the heap is ordered and each
 *   member knows its heap index;</li>
 *   <li>run states agree with activities: a RUNNING process has exactly one activity (kind
 *   PROCESS, subject = the entry), AVAILABLE and WAITING processes have none;</li>
 *   <li>process entries: the OID map finds each in-use entry, its root and key-registers
 *   nodes are in memory and pinned, free entries have empty stall queues.</li>
 * </ul>
 * Findings are lines; an empty list means consistent. Allocates; not for hot paths.
 */
public final class SchedulerChecker {
    private final Scheduler scheduler;

    public SchedulerChecker(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    public List<String> check() {
        List<String> findings = new ArrayList<>();
        ActivityTable activities = scheduler.activities();
        int capacity = activities.capacity();
        int[] seen = new int[capacity];
        int readyMembers = walk(QueueId.READY, scheduler.readyHead(), scheduler.readyTail(), ActivityDescriptor.READY,
            seen, findings);
        if (readyMembers != scheduler.readyCount()) {
            findings.add("ready queue holds " + readyMembers + " activities but counts " + scheduler.readyCount());
        }
        NodeTable nodes = scheduler.nodes();
        for (int i = 0; i < nodes.capacity(); i++) {
            int n = nodes.isInUse(i) && (nodes.stallHead(i) != NONE || nodes.stallTail(i) != NONE)
                ? walk(QueueId.node(i), nodes.stallHead(i), nodes.stallTail(i), ActivityDescriptor.STALLED, seen, findings)
                : 0;
            expectLength(QueueId.node(i), n, findings); // a node not in memory has an empty queue
            int owner = nodes.processEntry(i);
            if (owner != NONE && (!nodes.isInUse(i) || !scheduler.processes().isInUse(owner)
                || scheduler.processes().rootNode(owner) != i)) {
                findings.add("node record " + i + " says it is the root of process entry " + owner + ", which it is not");
            }
        }
        ProcessTable processes = scheduler.processes();
        for (int e = 0; e < processes.capacity(); e++) {
            if (processes.isInUse(e)) {
                int n = processes.stallHead(e) != NONE || processes.stallTail(e) != NONE
                    ? walk(QueueId.process(e), processes.stallHead(e), processes.stallTail(e), ActivityDescriptor.STALLED,
                        seen, findings)
                    : 0;
                expectLength(QueueId.process(e), n, findings);
                checkEntry(e, findings);
            } else if (processes.stallHead(e) != NONE || processes.stallTail(e) != NONE) {
                findings.add("free process entry " + e + " has a stall queue");
            } else {
                expectLength(QueueId.process(e), 0, findings);
            }
        }
        checkHeap(seen, findings);
        int current = scheduler.current();
        if (current != NONE) {
            if (!activities.isInUse(current)) {
                findings.add("running activity " + current + " is not in use");
            } else {
                expect(current, ActivityDescriptor.RUNNING, QueueId.RUNNING, findings);
                seen[current]++;
            }
        }
        checkActivities(seen, findings);
        return findings;
    }

    private void expectLength(int q, int members, List<String> findings) {
        if (scheduler.queueLength(q) != members) {
            findings.add(QueueId.describe(q) + " holds " + members + " activities but counts " + scheduler.queueLength(q));
        }
    }

    /** Walks a list queue from its head; returns its length. */
    private int walk(int q, int head, int tail, int state, int[] seen, List<String> findings) {
        ActivityTable activities = scheduler.activities();
        String name = QueueId.describe(q);
        if ((head == NONE) != (tail == NONE)) {
            findings.add(name + ": head " + head + " and tail " + tail + " disagree about emptiness");
            return 0;
        }
        int prev = NONE;
        int n = 0;
        for (int a = head; a != NONE; a = activities.next(a)) {
            if (!activities.isInUse(a)) {
                findings.add(name + ": member " + a + " is not an activity in use");
                return n;
            }
            if (seen[a] > 0) {
                findings.add(name + ": activity " + a + " is met twice (a cycle or on two queues)");
                return n;
            }
            seen[a]++;
            n++;
            if (activities.prev(a) != prev) {
                findings.add(name + ": activity " + a + " has prev " + activities.prev(a) + ", expected " + prev);
            }
            expect(a, state, q, findings);
            prev = a;
        }
        if (prev != tail) {
            findings.add(name + ": tail is " + tail + " but the walk ends at " + prev);
        }
        return n;
    }

    private void expect(int a, int state, int q, List<String> findings) {
        ActivityTable activities = scheduler.activities();
        if (state == ActivityDescriptor.READY && activities.state(a) == ActivityDescriptor.STALLED) {
            // Spliced by a wake-all: labelled STALLED on a queue whose epoch has moved on.
            if (!scheduler.isSpliced(a)) {
                findings.add("activity " + a + " is on the ready queue but says stalled on "
                    + QueueId.describe(activities.queue(a)) + " in that queue's current epoch "
                    + activities.stallEpoch(a));
            }
            return;
        }
        if (state == ActivityDescriptor.STALLED && activities.state(a) == state && activities.queue(a) == q
            && activities.stallEpoch(a) != scheduler.queueEpoch(q)) {
            findings.add("activity " + a + " is on " + QueueId.describe(q) + " with epoch " + activities.stallEpoch(a)
                + ", but the queue is in epoch " + scheduler.queueEpoch(q) + " (it reads as ready)");
            return;
        }
        if (activities.state(a) != state || activities.queue(a) != q) {
            findings.add("activity " + a + " is on " + QueueId.describe(q) + " but says "
                + ActivityDescriptor.stateName(activities.state(a)) + " on " + QueueId.describe(activities.queue(a)));
        }
    }

    private void checkHeap(int[] seen, List<String> findings) {
        ActivityTable activities = scheduler.activities();
        for (int i = 0; i < scheduler.heapSize(); i++) {
            int a = scheduler.heapAt(i);
            if (!activities.isInUse(a)) {
                findings.add("sleep heap slot " + i + " holds " + a + ", not an activity in use");
                continue;
            }
            if (seen[a] > 0) {
                findings.add("sleep heap: activity " + a + " is also on another queue");
            }
            seen[a]++;
            expect(a, ActivityDescriptor.SLEEPING, QueueId.SLEEP, findings);
            if (activities.heapIndex(a) != i) {
                findings.add("activity " + a + " is at heap slot " + i + " but records " + activities.heapIndex(a));
            }
            if (activities.wakeCycle(a) != scheduler.heapWakeAt(i)) {
                findings.add("activity " + a + " wakes at " + activities.wakeCycle(a) + " but the heap says "
                    + scheduler.heapWakeAt(i));
            }
            if (i > 0 && scheduler.heapBefore(i, (i - 1) >>> 1)) {
                findings.add("sleep heap out of order at slot " + i);
            }
        }
    }

    private void checkActivities(int[] seen, List<String> findings) {
        ActivityTable activities = scheduler.activities();
        ProcessTable processes = scheduler.processes();
        int inUse = 0;
        for (int a = 0; a < activities.capacity(); a++) {
            if (!activities.isInUse(a)) {
                if (activities.state(a) != ActivityDescriptor.FREE || activities.queue(a) != QueueId.NONE) {
                    findings.add("free activity " + a + " says " + ActivityDescriptor.stateName(activities.state(a))
                        + " on " + QueueId.describe(activities.queue(a)));
                }
                continue;
            }
            inUse++;
            if (seen[a] == 0) {
                findings.add("activity " + a + " (" + describeState(a) + ") is on no queue and not running");
            }
            if (activities.kind(a) == ActivityDescriptor.KIND_PROCESS) {
                int e = activities.subject(a);
                if (!processes.isInUse(e)) {
                    findings.add("activity " + a + " belongs to process entry " + e + ", which is not loaded");
                } else if (processes.activity(e) != a) {
                    findings.add("activity " + a + " belongs to process entry " + e + ", whose activity is "
                        + processes.activity(e));
                }
            } else if (activities.kind(a) != ActivityDescriptor.KIND_POST) {
                findings.add("activity " + a + " has undefined kind " + activities.kind(a));
            }
        }
        if (inUse != activities.inUse()) {
            findings.add("activity table counts " + activities.inUse() + " in use but holds " + inUse);
        }
        int free = 0;
        for (int a = activities.freeHead(); a != NONE && free <= activities.capacity(); a = activities.next(a)) {
            if (activities.isInUse(a)) {
                findings.add("activity free list holds activity " + a + ", which is in use");
                return;
            }
            free++;
        }
        if (free != activities.capacity() - inUse) {
            findings.add("activity free list holds " + free + " records, expected " + (activities.capacity() - inUse));
        }
    }

    /** "ready on ready", "stalled on node[3]", or "ready (spliced from node[3])" for a wake-all's member. */
    private String describeState(int a) {
        ActivityTable activities = scheduler.activities();
        String queue = QueueId.describe(activities.queue(a));
        if (scheduler.isSpliced(a)) {
            return "ready (spliced from " + queue + ")";
        }
        return ActivityDescriptor.stateName(activities.state(a)) + " on " + queue;
    }

    /** The root node names its entry, and what the entry remembers of root slots 0 and 2 is so. */
    private void checkRootSlots(int e, int root, String name, List<String> findings) {
        ProcessTable processes = scheduler.processes();
        Keys keys = processes.cache().keys();
        if (scheduler.nodes().processEntry(root) != e) {
            findings.add(name + ": its root node names entry " + scheduler.nodes().processEntry(root));
        }
        int schedule = KeyLocation.nodeSlot(root, ProcessLayout.SLOT_SCHEDULE);
        if (processes.isScheduleChecked(e) && KeyDescriptor.type(keys.tailAt(schedule)) != KeyType.SCHED) {
            findings.add(name + ": marked schedule-checked, but root slot 0 holds no schedule key");
        }
        int space = KeyLocation.nodeSlot(root, ProcessLayout.SLOT_ADDRESS_SPACE);
        int memo = ProcessDescriptor.recordOffset(e) + ProcessDescriptor.DIRECTORY_MEMO_OFFSET;
        if (processes.isSpaceChecked(e) && !PageTableCache.memoHolds(keys, space, processes.buffer(), memo)) {
            findings.add(name + ": marked space-checked, but its directory memo does not hold the key in root slot 2");
        }
    }

    private void checkEntry(int e, List<String> findings) {
        ProcessTable processes = scheduler.processes();
        NodeTable nodes = scheduler.nodes();
        long oid = processes.rootOid(e);
        String name = "process 0x" + Long.toHexString(oid) + " (entry " + e + ")";
        if (processes.find(oid) != e) {
            findings.add(name + ": the OID map finds entry " + processes.find(oid));
        }
        int root = processes.rootNode(e);
        if (!nodes.isInUse(root) || nodes.oid(root) != oid) {
            findings.add(name + ": root node record " + root + " does not hold it");
        } else if (nodes.pinCount(root) < 1) {
            findings.add(name + ": root node is not pinned");
        } else {
            checkRootSlots(e, root, name, findings);
        }
        int keyRegisters = processes.keyRegistersNode(e);
        if (!nodes.isInUse(keyRegisters)) {
            findings.add(name + ": key-registers node record " + keyRegisters + " is not in use");
        } else if (nodes.pinCount(keyRegisters) < 1) {
            findings.add(name + ": key-registers node is not pinned");
        }
        int state = processes.runState(e);
        int a = processes.activity(e);
        if (state == ProcessLayout.RUNNING) {
            if (a == NONE) {
                findings.add(name + " is RUNNING without an activity");
            } else if (!scheduler.activities().isInUse(a) || scheduler.activities().subject(a) != e
                || scheduler.activities().kind(a) != ActivityDescriptor.KIND_PROCESS) {
                findings.add(name + " is RUNNING with activity " + a + ", which is not its own");
            }
        } else if (state == ProcessLayout.AVAILABLE || state == ProcessLayout.WAITING) {
            if (a != NONE) {
                findings.add(name + " is " + (state == ProcessLayout.AVAILABLE ? "AVAILABLE" : "WAITING")
                    + " but has activity " + a);
            }
        } else {
            findings.add(name + " has undefined run state " + state);
        }
    }
}
