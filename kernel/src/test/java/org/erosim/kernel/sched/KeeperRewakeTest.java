package org.erosim.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keeper rewake (kernel.md §10) at the slot-write level: which writes wake the old keeper's
 * stall queue, that every sleeper is woken whatever the wake policy, and that turning it off
 * leaves them parked.
 */
class KeeperRewakeTest {
    private static final int KEEPER = 8;
    private static final int NEW_KEEPER = 9;
    private static final int KEEPER_SLOT = 4;
    private static final int SLEEPERS = 4;

    private World w;
    private KeeperRewake rewake;
    private Keys keys;
    private int keeperQueue;
    private int red;

    @AfterEach
    void tearDown() {
        if (w != null) {
            w.assertConsistent();
            w.close();
        }
    }

    /** Processes 0..3 stall on the queue of a busy keeper (process 8); node 0 is a red segment kept by it. */
    private void world(WakePolicy policy, boolean enabled) {
        w = new World(64, 16, 16, policy, 1000);
        for (int p = 0; p < SLEEPERS; p++) {
            w.putProcess(p, ProcessLayout.AVAILABLE);
        }
        w.putProcess(KEEPER, ProcessLayout.WAITING); // busy: not AVAILABLE
        w.putProcess(NEW_KEEPER, ProcessLayout.AVAILABLE);
        w.putNode(World.nodeOid(0));
        w.putNode(World.nodeOid(1));
        keys = w.cache.keys();
        rewake = new KeeperRewake(keys, w.cache.nodes(), w.processes, w.scheduler);
        rewake.setEnabled(enabled);
        keys.setListener(rewake);
        int keeperEntry = w.load(KEEPER);
        w.load(NEW_KEEPER);
        keeperQueue = QueueId.process(keeperEntry);
        red = w.cache.faultNode(World.nodeOid(0));
        keys.storeNumber(KeyLocation.nodeSlot(red, RedSegmentFormat.FORMAT_SLOT),
            RedSegmentFormat.encode(2, KEEPER_SLOT, RedSegmentFormat.NONE, 0, 1), 0, 0);
        keys.storeObjectKey(KeyLocation.nodeSlot(red, KEEPER_SLOT), KeyType.START, World.rootOf(KEEPER), 0, 0, 0);
        int[] a = new int[SLEEPERS];
        for (int p = 0; p < SLEEPERS; p++) {
            a[p] = w.startProcess(p);
        }
        for (int p = 0; p < SLEEPERS; p++) {
            w.dispatchExpecting(a[p]);
            assertEquals(ResultCode.OK, w.scheduler.stall(a[p], keeperQueue, 0));
        }
        assertEquals(SLEEPERS, w.queue(keeperQueue).size());
    }

    private void startKeyTo(int location, int process) {
        keys.storeObjectKey(location, KeyType.START, World.rootOf(process), 0, 0, 0);
    }

    @Test
    void swappingARedSegmentsKeeperWakesEverySleeperOfTheOldKeeperUnderBothPolicies() {
        for (WakePolicy policy : WakePolicy.values()) {
            world(policy, true);
            startKeyTo(KeyLocation.nodeSlot(red, KEEPER_SLOT), NEW_KEEPER);
            assertEquals(List.of(), w.queue(keeperQueue), policy.toString());
            assertEquals(SLEEPERS, w.ready().size());
            assertEquals(1, rewake.rewakes());
            assertEquals(SLEEPERS, rewake.sleepersWoken());
            tearDown();
        }
        w = null;
    }

    @Test
    void aPreparedOldKeeperKeyIsFollowedThroughItsHandle() {
        world(WakePolicy.WAKE_ALL, true);
        int slot = KeyLocation.nodeSlot(red, KEEPER_SLOT);
        keys.prepare(slot);
        keys.storeVoid(slot); // the segment is no longer kept: the sleepers proceed on retry
        assertEquals(SLEEPERS, w.ready().size());
    }

    @Test
    void withRewakeOffTheSleepersStayParkedOnTheOldKeeper() {
        world(WakePolicy.WAKE_ALL, false);
        startKeyTo(KeyLocation.nodeSlot(red, KEEPER_SLOT), NEW_KEEPER);
        assertEquals(SLEEPERS, w.queue(keeperQueue).size());
        assertEquals(0, rewake.rewakes());
    }

    @Test
    void changingTheFormatKeyWakesTheKeeperItNamed() {
        world(WakePolicy.WAKE_ALL, true);
        // The keeper slot moves to 5: the sleepers must find out who keeps the segment now.
        keys.storeNumber(KeyLocation.nodeSlot(red, RedSegmentFormat.FORMAT_SLOT),
            RedSegmentFormat.encode(2, 5, RedSegmentFormat.NONE, 0, 1), 0, 0);
        assertEquals(SLEEPERS, w.ready().size());
    }

    @Test
    void rewritingTheSameFormatWakesNobody() {
        world(WakePolicy.WAKE_ALL, true);
        keys.storeNumber(KeyLocation.nodeSlot(red, RedSegmentFormat.FORMAT_SLOT),
            RedSegmentFormat.encode(2, KEEPER_SLOT, RedSegmentFormat.NONE, 0, 1), 0, 0);
        assertEquals(SLEEPERS, w.queue(keeperQueue).size());
    }

    @Test
    void overwritingAProcessKeeperSlotWakesTheOldProcessKeeper() {
        world(WakePolicy.WAKE_ONE, true);
        int root = w.processes.rootNode(w.processes.find(World.rootOf(0)));
        startKeyTo(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_KEEPER), KEEPER);
        assertEquals(SLEEPERS, w.queue(keeperQueue).size(), "a new keeper key wakes nobody");
        startKeyTo(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_KEEPER), NEW_KEEPER);
        assertEquals(List.of(), w.queue(keeperQueue));
        assertEquals(SLEEPERS, w.ready().size());
    }

    @Test
    void startKeysInOtherSlotsWakeNobody() {
        world(WakePolicy.WAKE_ALL, true);
        int other = KeyLocation.nodeSlot(red, 6);
        startKeyTo(other, KEEPER);
        startKeyTo(other, NEW_KEEPER);
        // Slot 1 of a node that is no loaded process root is no process keeper slot either.
        int plain = w.cache.faultNode(World.nodeOid(1));
        startKeyTo(KeyLocation.nodeSlot(plain, ProcessLayout.SLOT_KEEPER), KEEPER);
        keys.storeVoid(KeyLocation.nodeSlot(plain, ProcessLayout.SLOT_KEEPER));
        assertEquals(SLEEPERS, w.queue(keeperQueue).size());
        assertEquals(0, rewake.rewakes());
    }
}
