package org.erosim.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.process.ProcessDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Stall queues (kernel.md §6): FIFO order, both wake policies, counters, eviction. */
class StallQueueTest {
    private World w;

    private World world(WakePolicy policy, int processes) {
        w = new World(2 * processes + 64, processes + 2, processes + 2, policy, 1000);
        for (int p = 0; p < processes; p++) {
            w.putProcess(p, ProcessLayout.AVAILABLE);
        }
        w.putNode(World.nodeOid(0));
        w.putNode(World.nodeOid(1));
        return w;
    }

    @AfterEach
    void tearDown() {
        if (w != null) {
            w.assertConsistent();
            w.close();
        }
    }

    /** Starts processes 0..n-1, runs each and stalls it on {@code q}; returns their activities. */
    private int[] stallAll(int n, int q) {
        int[] a = new int[n];
        for (int p = 0; p < n; p++) {
            a[p] = w.startProcess(p);
        }
        for (int p = 0; p < n; p++) {
            w.dispatchExpecting(a[p]);
            assertEquals(ResultCode.OK, w.scheduler.stall(a[p], q, 0));
        }
        return a;
    }

    private static List<Integer> list(int... a) {
        List<Integer> out = new ArrayList<>();
        for (int x : a) {
            out.add(x);
        }
        return out;
    }

    @Test
    void stallQueueIsFifo() {
        world(WakePolicy.WAKE_ALL, 4);
        int q = w.nodeQueue(World.nodeOid(0));
        int[] a = stallAll(4, q);
        assertEquals(list(a), w.queue(q));
        assertEquals(List.of(), w.ready());
        for (int x : a) {
            assertEquals(ActivityDescriptor.STALLED, w.activities.state(x));
            assertEquals(q, w.activities.queue(x));
        }
        w.assertConsistent();
    }

    @Test
    void wakeAllMovesEverySleeperToTheReadyQueueInOrderBehindReadyActivities() {
        world(WakePolicy.WAKE_ALL, 5);
        int q = w.nodeQueue(World.nodeOid(0));
        int[] a = stallAll(4, q);
        int other = w.startProcess(4);
        assertEquals(4, w.scheduler.wake(q));
        assertEquals(List.of(), w.queue(q));
        assertEquals(list(other, a[0], a[1], a[2], a[3]), w.ready());
        for (int x : a) {
            assertTrue(w.scheduler.isRetrying(x));
        }
        assertEquals(4, w.scheduler.wakeups());
        assertEquals(0, w.scheduler.wake(q), "an empty queue wakes nobody");
        w.assertConsistent();
    }

    @Test
    void wakeOneDrainsAHerdOneAtATimeThroughCommitAndRestall() {
        int herd = 100;
        world(WakePolicy.WAKE_ONE, herd);
        int q = w.nodeQueue(World.nodeOid(0));
        int[] a = stallAll(herd, q);
        assertEquals(1, w.scheduler.wake(q));
        List<Integer> order = new ArrayList<>();
        int other = w.nodeQueue(World.nodeOid(1));
        for (int step = 0; step < herd; step++) {
            assertEquals(1, w.scheduler.readyCount(), "exactly one sleeper is out at a time");
            int x = w.scheduler.dispatch();
            order.add(x);
            if (step % 2 == 0) {
                // Commits (the gate was open): the next sleeper gets the wakeup.
                w.scheduler.committed(x);
                w.scheduler.exit(x, ProcessLayout.WAITING);
            } else {
                // Stalls again elsewhere: the wakeup passes on as well.
                assertEquals(ResultCode.OK, w.scheduler.stall(x, other, 10));
            }
            w.assertConsistent();
        }
        assertEquals(0, w.scheduler.readyCount());
        assertEquals(list(a), order, "the herd drains in FIFO order");
        assertEquals(herd, w.scheduler.wakeups());
        assertEquals(herd, w.scheduler.retries());
        assertEquals(herd / 2, w.scheduler.commitsAfterWake());
        assertEquals(herd / 2, w.scheduler.restalls());
        assertEquals(10L * herd / 2, w.scheduler.wastedRetryCycles());
    }

    @Test
    void wakeOneRestallOnTheSameQueueDoesNotPassTheWakeup() {
        world(WakePolicy.WAKE_ONE, 3);
        int q = w.nodeQueue(World.nodeOid(0));
        int[] a = stallAll(3, q);
        w.scheduler.wake(q);
        w.dispatchExpecting(a[0]);
        w.scheduler.stall(a[0], q, 7);
        assertEquals(0, w.scheduler.readyCount(), "the condition is false again: nobody else is woken");
        assertEquals(list(a[0], a[1], a[2]), w.queue(q), "back at the head, where it was woken from: FIFO");
        assertEquals(1, w.scheduler.restalls());
    }

    @Test
    void countersAreExactForAScriptedScenarioUnderWakeAll() {
        world(WakePolicy.WAKE_ALL, 4);
        int n = w.nodeQueue(World.nodeOid(0));
        int[] a = stallAll(4, n);
        assertEquals(4, w.scheduler.wake(n));
        w.dispatchExpecting(a[0]);
        w.scheduler.committed(a[0]);
        w.scheduler.exit(a[0], ProcessLayout.WAITING);
        w.dispatchExpecting(a[1]);
        w.scheduler.stall(a[1], n, 100);
        w.dispatchExpecting(a[2]);
        w.scheduler.stall(a[2], n, 100);
        w.dispatchExpecting(a[3]);
        w.scheduler.committed(a[3]);
        w.scheduler.exit(a[3], ProcessLayout.WAITING);
        assertEquals(2, w.scheduler.wake(n));
        w.dispatchExpecting(a[1]);
        w.scheduler.committed(a[1]);
        w.scheduler.exit(a[1], ProcessLayout.WAITING);
        w.dispatchExpecting(a[2]);
        w.scheduler.committed(a[2]);
        w.scheduler.exit(a[2], ProcessLayout.WAITING);
        assertCounters(6, 6, 6, 2, 4, 200);
    }

    @Test
    void countersAreExactForAScriptedScenarioUnderWakeOne() {
        world(WakePolicy.WAKE_ONE, 4);
        int n = w.nodeQueue(World.nodeOid(0));
        int m = w.nodeQueue(World.nodeOid(1));
        int[] a = stallAll(4, n);
        assertEquals(1, w.scheduler.wake(n));
        w.dispatchExpecting(a[0]);
        w.scheduler.committed(a[0]); // passes the wakeup to a1
        w.scheduler.exit(a[0], ProcessLayout.WAITING);
        w.dispatchExpecting(a[1]);
        w.scheduler.stall(a[1], n, 100); // same queue: keeps it, and its place at the head
        assertEquals(0, w.scheduler.readyCount());
        assertEquals(list(a[1], a[2], a[3]), w.queue(n));
        assertEquals(1, w.scheduler.wake(n)); // a1 again
        w.dispatchExpecting(a[1]);
        w.scheduler.stall(a[1], m, 50); // another queue: passes to a2
        w.dispatchExpecting(a[2]);
        w.scheduler.committed(a[2]); // passes to a3
        w.scheduler.exit(a[2], ProcessLayout.WAITING);
        w.dispatchExpecting(a[3]);
        w.scheduler.committed(a[3]); // queue n is empty now
        w.scheduler.exit(a[3], ProcessLayout.WAITING);
        assertEquals(ActivityDescriptor.NONE, w.scheduler.dispatch());
        assertEquals(list(a[1]), w.queue(m));
        assertCounters(6, 5, 5, 2, 3, 150);
    }

    private void assertCounters(long enqueues, long wakeups, long retries, long restalls, long commitsAfterWake,
        long wasted) {
        Scheduler s = w.scheduler;
        assertEquals(List.of(enqueues, wakeups, retries, restalls, commitsAfterWake, wasted),
            List.of(s.enqueues(), s.wakeups(), s.retries(), s.restalls(), s.commitsAfterWake(), s.wastedRetryCycles()),
            "enqueues, wakeups, retries, re-stalls, commits after wake, wasted retry cycles");
    }

    @Test
    void processQueuesCountEnqueuesAndWakeupsAndReturnWakesTheCallers() {
        world(WakePolicy.WAKE_ALL, 4);
        int server = w.startProcess(3);
        int serverEntry = w.activities.subject(server);
        int q = QueueId.process(serverEntry);
        int[] callers = new int[3];
        for (int p = 0; p < 3; p++) {
            callers[p] = w.startProcess(p);
        }
        w.dispatchExpecting(server);
        w.scheduler.preempt(server);
        for (int p = 0; p < 3; p++) {
            w.dispatchExpecting(callers[p]);
            w.scheduler.stall(callers[p], q, 0); // the server is not AVAILABLE
        }
        w.dispatchExpecting(server);
        w.scheduler.committed(server);
        w.scheduler.exit(server, ProcessLayout.AVAILABLE); // a RETURN: wakes its queue
        assertEquals(list(callers), w.ready());
        assertEquals(3, w.processes.counter(serverEntry, ProcessDescriptor.QUEUE_ENQUEUES_OFFSET));
        assertEquals(3, w.processes.counter(serverEntry, ProcessDescriptor.QUEUE_WAKEUPS_OFFSET));
        assertEquals(1, w.processes.counter(serverEntry, ProcessDescriptor.INVOCATIONS_OFFSET));
        assertEquals(ProcessLayout.AVAILABLE, w.processes.runState(serverEntry));
    }

    @Test
    void evictingANodeWithSleepersWakesThem() {
        world(WakePolicy.WAKE_ONE, 3);
        long oid = World.nodeOid(0);
        int q = w.nodeQueue(oid);
        int[] a = stallAll(3, q);
        long evictionsBefore = w.cache.evictions();
        w.cache.evict(QueueId.index(q));
        assertEquals(evictionsBefore + 1, w.cache.evictions());
        assertFalse(w.scheduler.isLiveStallQueue(q), "the queue went with its node");
        assertEquals(list(a), w.ready(), "even under wake-one: the queue itself is gone");
        assertEquals(3, w.scheduler.wakeups());
        for (int x : a) {
            assertTrue(w.scheduler.isRetrying(x));
        }
        w.assertConsistent();
        // The retries find the node again (fault it back in) and may stall there once more.
        int q2 = w.nodeQueue(oid);
        w.dispatchExpecting(a[0]);
        w.scheduler.stall(a[0], q2, 5);
        assertEquals(1, w.scheduler.restalls());
    }

    @Test
    void evictionUnderCachePressureWakesTheSleepersOfTheVictim() {
        w = new World(6, 4, 4, WakePolicy.WAKE_ALL, 1000);
        for (int p = 0; p < 2; p++) {
            w.putProcess(p, ProcessLayout.AVAILABLE);
        }
        for (int n = 0; n < 8; n++) {
            w.putNode(World.nodeOid(n));
        }
        // 2 processes pin 4 of the 6 records; the sleepers' node is one of the other two.
        int q = w.nodeQueue(World.nodeOid(0));
        int[] a = stallAll(2, q);
        for (int n = 1; n < 8 && w.scheduler.isLiveStallQueue(q) && w.cache.nodes().oid(q) == World.nodeOid(0); n++) {
            w.nodeQueue(World.nodeOid(n));
        }
        assertEquals(list(a), w.ready());
        assertEquals(2, w.scheduler.wakeups());
    }

    @Test
    void stallingOnAQueueThatIsNotLiveChangesNothing() {
        world(WakePolicy.WAKE_ALL, 1);
        int a = w.startProcess(0);
        w.dispatchExpecting(a);
        assertEquals(ResultCode.REQUEST_ERROR, w.scheduler.stall(a, QueueId.node(60), 0), "free node record");
        assertEquals(ResultCode.REQUEST_ERROR, w.scheduler.stall(a, QueueId.process(2), 0), "free process entry");
        assertEquals(ResultCode.REQUEST_ERROR, w.scheduler.stall(a, QueueId.READY, 0), "not a stall queue");
        assertEquals(a, w.scheduler.current());
        assertEquals(0, w.scheduler.enqueues());
    }
}
