package org.erosim.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.ResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ready queue, time slices, the sleep queue, exhaustion and the deadlock report (kernel.md §13). */
class SchedulerTest {
    private World w;

    private void world(int processes, int activities, long slice) {
        w = new World(2 * processes + 16, processes + 1, activities, WakePolicy.WAKE_ALL, slice);
        for (int p = 0; p < processes; p++) {
            w.putProcess(p, ProcessLayout.AVAILABLE);
        }
        w.putNode(World.nodeOid(0));
    }

    @AfterEach
    void tearDown() {
        if (w != null) {
            w.assertConsistent();
            w.close();
        }
    }

    @Test
    void readyQueueIsFifoAndASpentSliceSendsTheActivityToTheTail() {
        world(3, 4, 100);
        int a0 = w.startProcess(0);
        int a1 = w.startProcess(1);
        int a2 = w.startProcess(2);
        w.dispatchExpecting(a0);
        assertEquals(a0, w.scheduler.dispatch(), "one processor: the running activity keeps running");
        assertFalse(w.scheduler.charge(a0, 60));
        assertTrue(w.scheduler.charge(a0, 40), "100 cycles spend a 100-cycle slice");
        w.scheduler.preempt(a0);
        assertEquals(List.of(a1, a2, a0), w.ready());
        w.dispatchExpecting(a1);
        assertFalse(w.scheduler.charge(a1, 99));
        w.scheduler.preempt(a1);
        w.dispatchExpecting(a2);
        w.scheduler.preempt(a2);
        w.dispatchExpecting(a0);
        assertFalse(w.scheduler.charge(a0, 1), "a new dispatch starts a fresh slice");
        assertEquals(101, w.processes.cycles(w.activities.subject(a0)));
        assertEquals(4, w.scheduler.dispatches());
        assertEquals(3, w.scheduler.preemptions());
    }

    @Test
    void sleepersWakeInCycleOrderWithTiesInSleepOrder() {
        world(6, 6, 1000);
        long[] wake = {50, 10, 30, 10, 40};
        int[] a = new int[wake.length];
        for (int p = 0; p < wake.length; p++) {
            a[p] = w.startProcess(p);
        }
        for (int p = 0; p < wake.length; p++) {
            w.dispatchExpecting(a[p]);
            w.scheduler.sleep(a[p], wake[p]);
        }
        assertEquals(5, w.scheduler.sleeping());
        assertEquals(10, w.scheduler.nextWakeCycle());
        w.assertConsistent();
        assertEquals(0, w.scheduler.advanceTo(9));
        assertEquals(2, w.scheduler.advanceTo(10));
        assertEquals(List.of(a[1], a[3]), w.ready());
        assertEquals(2, w.scheduler.advanceTo(45));
        assertEquals(List.of(a[1], a[3], a[2], a[4]), w.ready());
        assertEquals(0, w.scheduler.advanceTo(20), "time never goes backwards");
        assertEquals(45, w.scheduler.now());
        assertEquals(1, w.scheduler.advanceTo(1_000));
        assertEquals(Long.MAX_VALUE, w.scheduler.nextWakeCycle());
        assertEquals(5, w.scheduler.timerWakeups());
        // A wake cycle already past makes the sleeper ready at once.
        int x = w.scheduler.dispatch();
        w.scheduler.sleep(x, 999);
        assertEquals(x, w.ready().get(w.ready().size() - 1));
    }

    @Test
    void aSleeperThatExitsLeavesTheHeapOrdered() {
        world(6, 6, 1000);
        int[] a = new int[6];
        for (int p = 0; p < 6; p++) {
            a[p] = w.startProcess(p);
        }
        for (int p = 0; p < 6; p++) {
            w.dispatchExpecting(a[p]);
            w.scheduler.sleep(a[p], 100 - 10 * p);
        }
        w.scheduler.exit(a[3], ProcessLayout.WAITING); // a process made waiting while asleep
        w.assertConsistent();
        w.scheduler.advanceTo(1_000);
        assertEquals(List.of(a[5], a[4], a[2], a[1], a[0]), w.ready());
    }

    @Test
    void deadlockReportNamesStalledProcessesAndTheirQueues() {
        world(4, 4, 1000);
        int nodeQueue = w.nodeQueue(World.nodeOid(0));
        int a0 = w.startProcess(0);
        int a1 = w.startProcess(1);
        int e2 = w.load(2); // AVAILABLE, never started
        w.processes.setRunState(e2, ProcessLayout.WAITING); // it waits for a reply that never comes
        w.dispatchExpecting(a0);
        w.scheduler.stall(a0, nodeQueue, 0);
        w.dispatchExpecting(a1);
        assertFalse(w.scheduler.isDeadlocked(), "something runs");
        w.scheduler.sleep(a1, 500);
        assertFalse(w.scheduler.isDeadlocked(), "something sleeps");
        w.scheduler.advanceTo(500);
        w.dispatchExpecting(a1);
        w.scheduler.stall(a1, QueueId.process(e2), 0);
        assertEquals(ActivityDescriptor.NONE, w.scheduler.dispatch());
        assertTrue(w.scheduler.isDeadlocked());
        assertEquals(List.of(
            "process 0x1000 (activity " + a0 + ") stalled on node 0x8000",
            "process 0x1002 (activity " + a1 + ") stalled on process 0x1004"), w.scheduler.deadlockReport());
    }

    @Test
    void nothingStalledIsNoDeadlock() {
        world(1, 1, 1000);
        assertFalse(w.scheduler.isDeadlocked());
        assertEquals(List.of(), w.scheduler.deadlockReport());
    }

    @Test
    void exhaustedActivitiesAnswerNoResourcesAndNeverGrow() {
        world(3, 2, 1000);
        w.startProcess(0);
        w.startProcess(1);
        int e = w.load(2);
        assertEquals(ResultCode.NO_RESOURCES, w.scheduler.start(e));
        assertEquals(ProcessLayout.AVAILABLE, w.processes.runState(e), "nothing changed");
        assertEquals(2, w.activities.inUse());
        assertEquals(2, w.activities.capacity());
        assertEquals(ResultCode.REQUEST_ERROR, w.scheduler.start(w.activities.subject(0)), "already has one");
        w.scheduler.exit(0, ProcessLayout.WAITING);
        assertTrue(w.scheduler.start(e) >= 0, "a freed activity is reused");
    }

    @Test
    void wakeOnAnEmptyOrDeadQueueWakesNobody() {
        world(1, 1, 1000);
        List<Integer> counts = new ArrayList<>();
        counts.add(w.scheduler.wakeAll(w.nodeQueue(World.nodeOid(0))));
        counts.add(w.scheduler.wakeOne(w.nodeQueue(World.nodeOid(0))));
        counts.add(w.scheduler.wakeAll(QueueId.process(0)));
        counts.add(w.scheduler.wakeAll(QueueId.node(15)));
        assertEquals(List.of(0, 0, 0, 0), counts);
        assertEquals(0, w.scheduler.wakeups());
    }

    /**
     * A gate call's hand-off is exit then start: the same record, the target RUNNING with a
     * fresh slice; dispatched at once when nothing else is ready, else behind the ready
     * activities and the invoker's woken callers.
     */
    @Test
    void handOffIsExitThenStartAndDispatchesAtOnceOnlyWhenNothingIsReady() {
        world(4, 4, 1000);
        int e0 = w.load(0);
        int e1 = w.load(1);
        int a = w.startProcess(0);
        w.dispatchExpecting(a);
        w.scheduler.charge(a, 300);
        long dispatches = w.scheduler.dispatches();
        w.scheduler.handOff(a, ProcessLayout.WAITING, e1); // a CALL from 0 to 1, nothing ready
        assertEquals(a, w.scheduler.current(), "the same record, running at once");
        assertEquals(e1, w.activities.subject(a));
        assertEquals(0, w.activities.sliceUsed(a), "a fresh slice");
        assertEquals(dispatches + 1, w.scheduler.dispatches(), "counted as the dispatch it replaces");
        assertEquals(ProcessLayout.WAITING, w.processes.runState(e0));
        assertEquals(ProcessLayout.RUNNING, w.processes.runState(e1));
        assertEquals(ActivityDescriptor.NONE, w.processes.activity(e0));
        assertEquals(a, w.processes.activity(e1));
        w.assertConsistent();

        // Process 2 has CALLed 1 while 1 runs: it stalls on 1's queue. Process 3 is ready.
        int c = w.startProcess(2);
        assertEquals(ResultCode.OK, w.scheduler.stall(c, QueueId.process(e1), 0));
        int r = w.startProcess(3);
        // 1 RETURNs to 0: 1 becomes AVAILABLE (its caller 2 is woken), 0 gets the activity,
        // behind the ready process 3 and the woken caller, as start would have put it.
        w.scheduler.handOff(a, ProcessLayout.AVAILABLE, e0);
        assertEquals(ActivityDescriptor.NONE, w.scheduler.current());
        assertEquals(List.of(r, c, a), w.ready());
        assertEquals(e0, w.activities.subject(a));
        assertEquals(ActivityDescriptor.READY, w.activities.state(a));
        assertEquals(ProcessLayout.AVAILABLE, w.processes.runState(e1));
        assertEquals(ProcessLayout.RUNNING, w.processes.runState(e0));
        w.assertConsistent();
    }
}
