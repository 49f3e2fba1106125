package org.erosim.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.erosim.kernel.abi.ProcessLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each kind of scheduling corruption is reported by {@link SchedulerChecker} (kernel.md §12). */
class SchedulerCheckerTest {
    private World w;
    private int a0;
    private int a1;
    private int a2;
    private int q;

    @BeforeEach
    void setUp() {
        w = new World(32, 4, 4, WakePolicy.WAKE_ALL, 1000);
        for (int p = 0; p < 4; p++) {
            w.putProcess(p, ProcessLayout.AVAILABLE);
        }
        w.putNode(World.nodeOid(0));
        q = w.nodeQueue(World.nodeOid(0));
        a0 = w.startProcess(0);
        a1 = w.startProcess(1);
        a2 = w.startProcess(2);
        w.dispatchExpecting(a0);
        w.scheduler.stall(a0, q, 0);
        w.dispatchExpecting(a1);
        w.scheduler.sleep(a1, 100);
        // a2 ready; process 3 not loaded.
        assertEquals(List.of(), w.checker.check(), "the setup is consistent");
    }

    @AfterEach
    void tearDown() {
        w.close();
    }

    private void assertFinding(String fragment) {
        List<String> findings = w.checker.check();
        assertTrue(findings.stream().anyMatch(f -> f.contains(fragment)),
            () -> "expected a finding containing '" + fragment + "', got " + findings);
    }

    @Test
    void aBrokenPrevLinkIsReported() {
        w.scheduler.wakeAll(q); // ready: a2, a0
        w.activities.setPrev(a0, ActivityDescriptor.NONE);
        assertFinding("activity " + a0 + " has prev -1, expected " + a2);
    }

    @Test
    void anActivityLostFromItsQueueIsReported() {
        w.scheduler.wakeAll(q); // ready: a2, a0
        w.activities.setNext(a2, ActivityDescriptor.NONE);
        assertFinding("tail is " + a0 + " but the walk ends at " + a2);
        assertFinding("activity " + a0 + " (ready (spliced from " + QueueId.describe(q) + ")) is on no queue and not running");
    }

    @Test
    void aStateThatDisagreesWithTheQueueIsReported() {
        w.activities.place(a0, ActivityDescriptor.READY, QueueId.READY);
        assertFinding("activity " + a0 + " is on node[" + q + "] but says ready on ready");
    }

    @Test
    void aRunningProcessWithoutAnActivityIsReported() {
        int e = w.activities.subject(a2);
        w.processes.setActivity(e, ActivityDescriptor.NONE);
        assertFinding("is RUNNING without an activity");
        assertFinding("activity " + a2 + " belongs to process entry " + e + ", whose activity is -1");
    }

    @Test
    void anAvailableProcessWithAnActivityIsReported() {
        int e = w.activities.subject(a2);
        w.processes.setRunState(e, ProcessLayout.AVAILABLE);
        assertFinding("is AVAILABLE but has activity " + a2);
    }

    @Test
    void anUnpinnedRootIsReported() {
        int e = w.activities.subject(a2);
        w.cache.nodes().unpin(w.processes.rootNode(e));
        assertFinding("root node is not pinned");
        w.cache.nodes().pin(w.processes.rootNode(e));
    }

    @Test
    void aDisorderedSleepHeapIsReported() {
        w.activities.setHeapIndex(a1, 3);
        assertFinding("activity " + a1 + " is at heap slot 0 but records 3");
    }

    @Test
    void aStallQueueMemberFromAPastEpochIsReported() {
        // a0 is on q; a record that says it stalled in another epoch reads as ready.
        w.activities.buffer().putInt(ActivityDescriptor.recordOffset(a0) + ActivityDescriptor.STALL_EPOCH_OFFSET, 7);
        assertFinding("activity " + a0 + " is on " + QueueId.describe(q) + " with epoch 7, but the queue is in epoch 0");
    }

    @Test
    void aSplicedActivityThatReadsAsStalledIsReported() {
        w.scheduler.wakeAll(q); // ready: a2, a0 (a0 spliced, still labelled STALLED on q)
        assertEquals(List.of(), w.checker.check());
        w.activities.buffer().putInt(ActivityDescriptor.recordOffset(a0) + ActivityDescriptor.STALL_EPOCH_OFFSET,
            w.scheduler.queueEpoch(q));
        assertFinding("activity " + a0 + " is on the ready queue but says stalled on " + QueueId.describe(q));
    }

    @Test
    void aStallQueueLengthThatDisagreesWithItsWalkIsReported() {
        assertEquals(1, w.scheduler.queueLength(q));
        w.cache.nodes().setStallQueue(q, ActivityDescriptor.NONE, ActivityDescriptor.NONE); // a0 lost from q's ends
        assertFinding(QueueId.describe(q) + " holds 0 activities but counts 1");
    }
}
