package org.erosim.kernel.sched;

import static org.erosim.kernel.process.ProcessDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.mmu.PhysicalMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The process table (kernel.md §3, §12): load, unload, CLOCK victims, malformed roots. */
class ProcessTableTest {
    private World w;

    @AfterEach
    void tearDown() {
        if (w != null) {
            w.assertConsistent();
            w.close();
        }
    }

    private static final int[] REGS = {0x401000, 0x7FFF0, 0x202, 1, 2, 3, 4, 5, 6, 7};
    private static final int[] RECEIVE = {0x04030201, 0x500000, 4096};

    @Test
    void loadReadsRegistersRunStateAndReceiveDescriptorAndPinsBothNodes() {
        w = new World(16, 4, 4, WakePolicy.WAKE_ALL, 1000);
        w.putProcess(World.rootOf(0), ProcessLayout.WAITING, REGS, RECEIVE);
        int e = w.processes.load(World.rootOf(0));
        assertTrue(e >= 0);
        int[] offsets = {EIP_OFFSET, ESP_OFFSET, EFLAGS_OFFSET, EAX_OFFSET, EBX_OFFSET, ECX_OFFSET, EDX_OFFSET,
            ESI_OFFSET, EDI_OFFSET, EBP_OFFSET};
        for (int r = 0; r < offsets.length; r++) {
            assertEquals(REGS[r], w.processes.get(e, offsets[r]), "register " + r);
        }
        assertEquals(RECEIVE[0], w.processes.get(e, RCV_KEYS_OFFSET));
        assertEquals(RECEIVE[1], w.processes.get(e, RCV_PTR_OFFSET));
        assertEquals(RECEIVE[2], w.processes.get(e, RCV_LIMIT_OFFSET));
        assertEquals(ProcessLayout.WAITING, w.processes.runState(e));
        assertEquals(1, w.cache.nodes().pinCount(w.processes.rootNode(e)));
        assertEquals(World.rootOf(0) + 1, w.cache.nodes().oid(w.processes.keyRegistersNode(e)));
        assertEquals(1, w.cache.nodes().pinCount(w.processes.keyRegistersNode(e)));
        assertEquals(e, w.processes.load(World.rootOf(0)), "a second load finds the entry");
        assertEquals(1, w.processes.loads());
    }

    @Test
    void aLoadedRootNamesItsEntryUntilUnloaded() {
        int[] loaded = twoAvailableLoaded();
        int e0 = loaded[0];
        int e1 = loaded[1];
        int root0 = w.processes.rootNode(e0);
        assertEquals(e0, w.cache.nodes().processEntry(root0));
        assertEquals(e1, w.cache.nodes().processEntry(w.processes.rootNode(e1)));
        assertEquals(ProcessTable.NONE, w.cache.nodes().processEntry(w.processes.keyRegistersNode(e0)),
            "a key-registers node is no root");
        assertEquals(List.of(), w.checker.check());
        assertTrue(w.processes.unload(e0));
        assertEquals(ProcessTable.NONE, w.cache.nodes().processEntry(root0), "unloaded: the node names nobody");
    }

    @Test
    void writingRootSlotZeroOrTwoForgetsWhatTheDispatchChecked() {
        int[] loaded = twoAvailableLoaded();
        int e = loaded[0];
        int other = loaded[1];
        int root = w.processes.rootNode(e);
        int otherRoot = w.processes.rootNode(other);
        assertFalse(w.processes.isScheduleChecked(e), "a fresh entry has checked nothing");
        assertFalse(w.processes.isSpaceChecked(e));
        schedule(root);
        schedule(otherRoot);
        w.processes.setScheduleChecked(e);
        w.processes.setScheduleChecked(other);
        // Slot 0 of e's root: only e's schedule mark goes.
        w.cache.keys().storeVoid(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_SCHEDULE));
        assertFalse(w.processes.isScheduleChecked(e));
        assertTrue(w.processes.isScheduleChecked(other), "another entry keeps its mark");
        // Slot 2 of e's root: the space mark goes, the schedule mark stays.
        schedule(root);
        w.processes.setScheduleChecked(e);
        w.processes.setSpaceChecked(e);
        assertEquals(1, w.checker.check().size(), "a space mark the directory memo does not back is a finding");
        w.cache.keys().storeVoid(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_ADDRESS_SPACE));
        assertTrue(w.processes.isScheduleChecked(e));
        assertFalse(w.processes.isSpaceChecked(e));
        // Other slots of a root, and slots 0 and 2 of a node that is no root, change nothing.
        w.cache.keys().storeVoid(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_KEEPER));
        w.cache.keys().storeVoid(KeyLocation.nodeSlot(w.processes.keyRegistersNode(other), ProcessLayout.SLOT_SCHEDULE));
        w.cache.keys().storeVoid(KeyLocation.nodeSlot(w.processes.keyRegistersNode(other), ProcessLayout.SLOT_ADDRESS_SPACE));
        assertTrue(w.processes.isScheduleChecked(e) && w.processes.isScheduleChecked(other));
        assertEquals(List.of(), w.checker.check());
        // A schedule mark over a slot without a schedule key is a finding too.
        w.cache.keys().storeVoid(KeyLocation.nodeSlot(otherRoot, ProcessLayout.SLOT_SCHEDULE));
        w.processes.setScheduleChecked(other);
        assertEquals(1, w.checker.check().size());
        schedule(otherRoot);
        assertEquals(List.of(), w.checker.check());
    }

    /** A world with processes 0 and 1, AVAILABLE, both loaded; their entries. */
    private int[] twoAvailableLoaded() {
        w = new World(16, 4, 4, WakePolicy.WAKE_ALL, 1000);
        w.putProcess(0, ProcessLayout.AVAILABLE);
        w.putProcess(1, ProcessLayout.AVAILABLE);
        return new int[] {w.processes.load(World.rootOf(0)), w.processes.load(World.rootOf(1))};
    }

    private void schedule(int root) {
        w.cache.keys().storeKernelKey(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_SCHEDULE), KeyType.SCHED, 0);
    }

    @Test
    void unloadWritesRegistersAndRunStateBackToTheRootNodeOnTheSource() {
        w = new World(16, 4, 4, WakePolicy.WAKE_ALL, 1000);
        long root = World.rootOf(0);
        w.putProcess(root, ProcessLayout.AVAILABLE, REGS, RECEIVE);
        int e = w.processes.load(root);
        w.processes.set(e, EIP_OFFSET, 0xCAFE);
        w.processes.set(e, EAX_OFFSET, -1);
        w.processes.set(e, EBP_OFFSET, 0x1234);
        w.processes.set(e, RCV_LIMIT_OFFSET, 77);
        w.processes.setFault(e, FaultCode.DIV_ZERO, 0xBEEF);
        w.processes.setRunState(e, ProcessLayout.WAITING);
        assertTrue(w.processes.unload(e));
        assertEquals(ProcessTable.NONE, w.processes.find(root));
        assertEquals(0, w.cache.nodes().pinCount(w.cache.nodes().find(root)), "unload unpins the root");
        w.assertConsistent();
        w.cache.evictAll(); // writes the dirty root back

        // Read back through a fresh cache on the same source.
        try (PhysicalMemory ram = new PhysicalMemory(4 * PhysicalMemory.PAGE_SIZE)) {
            ObjectCache fresh = new ObjectCache(w.source, 16, ram, PhysicalMemory.PAGE_SIZE, 2);
            ProcessTable table = new ProcessTable(fresh, 2);
            int again = table.load(root);
            assertTrue(again >= 0);
            assertEquals(0xCAFE, table.get(again, EIP_OFFSET));
            assertEquals(REGS[1], table.get(again, ESP_OFFSET));
            assertEquals(-1, table.get(again, EAX_OFFSET));
            assertEquals(0x1234, table.get(again, EBP_OFFSET));
            assertEquals(77, table.get(again, RCV_LIMIT_OFFSET));
            assertEquals(FaultCode.DIV_ZERO, table.faultCode(again));
            assertEquals(0xBEEF, table.faultInfo(again));
            assertEquals(ProcessLayout.WAITING, table.runState(again));
            int n = fresh.nodes().find(root);
            int slot9 = fresh.nodes().slotOffset(n, ProcessLayout.SLOT_EIP_ESP_EFLAGS);
            assertEquals(KeyType.NUMBER, KeyDescriptor.type(fresh.nodes().keyTail(n, ProcessLayout.SLOT_EIP_ESP_EFLAGS)));
            assertEquals(0xCAFE, fresh.nodes().buffer().getInt(slot9));
        }
    }

    @Test
    void syncRootWritesTheEntryToTheRootAndLeavesTheProcessLoaded() {
        w = new World(16, 4, 4, WakePolicy.WAKE_ALL, 1000);
        long root = World.rootOf(0);
        w.putProcess(root, ProcessLayout.AVAILABLE, REGS, RECEIVE);
        int e = w.processes.load(root);
        w.processes.set(e, EIP_OFFSET, 0xCAFE);
        w.processes.setFault(e, FaultCode.DIV_ZERO, 0xBEEF);
        w.processes.setRunState(e, ProcessLayout.WAITING);
        int n = w.cache.nodes().find(root);
        w.cache.writeBackAll();
        assertFalse(w.cache.nodes().isDirty(n));
        w.processes.syncRoot(e);
        assertTrue(w.cache.nodes().isDirty(n));
        assertEquals(e, w.processes.find(root), "still loaded");
        int slot9 = w.cache.nodes().slotOffset(n, ProcessLayout.SLOT_EIP_ESP_EFLAGS);
        assertEquals(0xCAFE, w.cache.nodes().buffer().getInt(slot9));
        int slot8 = w.cache.nodes().slotOffset(n, ProcessLayout.SLOT_FAULT_AND_STATE);
        assertEquals(FaultCode.DIV_ZERO, w.cache.nodes().buffer().getInt(slot8));
        assertEquals(ProcessLayout.WAITING, w.cache.nodes().buffer().getInt(slot8 + 8) & RUN_STATE_MASK);
        w.cache.writeBackAll();
        w.processes.syncRoot(e);
        assertFalse(w.cache.nodes().isDirty(n), "nothing changed: the root stays clean");
        w.assertConsistent();
    }

    @Test
    void unloadingAnUnchangedProcessDoesNotDirtyItsRoot() {
        w = new World(16, 4, 4, WakePolicy.WAKE_ALL, 1000);
        long root = World.rootOf(0);
        w.putProcess(root, ProcessLayout.AVAILABLE, REGS, RECEIVE);
        int e = w.processes.load(root);
        int node = w.processes.rootNode(e);
        assertTrue(w.processes.unload(e));
        assertFalse(w.cache.nodes().isDirty(node));
    }

    @Test
    void aFullTableUnloadsAClockVictimAndWakesItsStallQueue() {
        w = new World(32, 2, 8, WakePolicy.WAKE_ALL, 1000);
        for (int p = 0; p < 4; p++) {
            w.putProcess(p, ProcessLayout.AVAILABLE);
        }
        int caller = w.startProcess(0); // entry 0, RUNNING: never a victim
        int target = w.load(1); // entry 1, AVAILABLE
        w.dispatchExpecting(caller);
        w.scheduler.stall(caller, QueueId.process(target), 0);
        w.processes.set(target, EAX_OFFSET, 0x5150);
        // The table is full; loading process 2 must unload process 1 (the only candidate).
        int e2 = w.load(2);
        assertEquals(target, e2, "the victim's entry is reused");
        assertEquals(1, w.processes.victims());
        assertEquals(ProcessTable.NONE, w.processes.find(World.rootOf(1)));
        assertEquals(List.of(caller), w.ready(), "the victim's sleepers were woken");
        assertTrue(w.scheduler.isRetrying(caller));
        w.assertConsistent();
        // The register change reached the root node.
        int root1 = w.cache.nodes().find(World.rootOf(1));
        assertEquals(0x5150, w.cache.nodes().buffer().getInt(w.cache.nodes().slotOffset(root1, ProcessLayout.SLOT_EAX_EBX_ECX)));
    }

    @Test
    void runningAndPinnedProcessesAreNeverVictims() {
        w = new World(32, 2, 8, WakePolicy.WAKE_ALL, 1000);
        for (int p = 0; p < 3; p++) {
            w.putProcess(p, ProcessLayout.AVAILABLE);
        }
        w.startProcess(0);
        int pinned = w.load(1);
        w.processes.pin(pinned);
        assertEquals(ProcessTable.NO_ROOM, w.processes.load(World.rootOf(2)));
        assertFalse(w.processes.unload(pinned));
        w.processes.unpin(pinned);
        assertTrue(w.load(2) >= 0);
    }

    @Test
    void referencedEntriesSurviveOneSweep() {
        w = new World(32, 3, 8, WakePolicy.WAKE_ALL, 1000);
        for (int p = 0; p < 5; p++) {
            w.putProcess(p, ProcessLayout.AVAILABLE);
        }
        w.load(0);
        w.load(1);
        w.load(2);
        w.load(3); // first sweep clears every referenced bit, then entry 0 goes
        assertEquals(ProcessTable.NONE, w.processes.find(World.rootOf(0)));
        w.load(1); // touch process 1 again
        w.load(4); // hand is at entry 1: referenced, so entry 2 goes
        assertTrue(w.processes.find(World.rootOf(1)) >= 0);
        assertEquals(ProcessTable.NONE, w.processes.find(World.rootOf(2)));
    }

    @Test
    void aRootStoredAsRunningGetsItsActivityWhenLoaded() {
        w = new World(16, 4, 4, WakePolicy.WAKE_ALL, 1000);
        w.putProcess(0, ProcessLayout.RUNNING);
        int e = w.load(0);
        int a = w.processes.activity(e);
        assertTrue(a >= 0);
        assertEquals(List.of(a), w.ready());
    }

    @Test
    void aRunningRootWithoutAFreeActivityIsNotLeftLoaded() {
        w = new World(16, 4, 1, WakePolicy.WAKE_ALL, 1000);
        w.putProcess(0, ProcessLayout.AVAILABLE);
        w.putProcess(1, ProcessLayout.RUNNING);
        w.startProcess(0); // takes the only activity
        assertEquals(ProcessTable.NO_ROOM, w.scheduler.load(World.rootOf(1)));
        assertEquals(ProcessTable.NONE, w.processes.find(World.rootOf(1)));
    }

    /** Which part of the root is broken: see {@link #malformedRootsGiveTheMalformedProcessFault}. */
    @ParameterizedTest
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 100, 3, 103})
    void malformedRootsGiveTheMalformedProcessFault(int damage) {
        w = new World(16, 4, 4, WakePolicy.WAKE_ALL, 1000);
        long root = World.rootOf(0);
        w.putProcess(root, ProcessLayout.AVAILABLE, REGS, RECEIVE);
        if (damage >= 8 && damage <= 13) {
            w.patchSource(root, damage, KeyDescriptor.VOID_TAIL, 0, 0, 0); // not a number key
        } else if (damage == 100) {
            w.patchSource(root, ProcessLayout.SLOT_FAULT_AND_STATE, KeyType.NUMBER, 0, 0, 3); // run state 3
        } else if (damage == 3) {
            w.patchSource(root, ProcessLayout.SLOT_KEY_REGISTERS, KeyType.NUMBER, 1, 2, 3); // not a node key
        } else {
            // A node key whose count does not match: voided at preparation (revoked).
            w.patchSource(root, ProcessLayout.SLOT_KEY_REGISTERS, KeyType.NODE, (int) (root + 1), 0, 9);
        }
        assertEquals(ProcessTable.MALFORMED, w.processes.load(root));
        assertEquals(-FaultCode.MALFORMED_PROCESS, ProcessTable.MALFORMED);
        assertEquals(1, w.processes.malformedLoads());
        assertEquals(0, w.processes.inUse());
        int node = w.cache.nodes().find(root);
        assertEquals(0, w.cache.nodes().pinCount(node), "nothing stays pinned");
        // (damage 103: preparation voided the revoked key in place, so the root is now plainly malformed)
        assertEquals(FaultCode.MALFORMED_PROCESS, w.processes.checkRoot(node));
    }

    @Test
    void aMissingRootIsAbsent() {
        w = new World(16, 4, 4, WakePolicy.WAKE_ALL, 1000);
        assertEquals(ProcessTable.ABSENT, w.processes.load(0x777));
        assertEquals(0, w.processes.inUse());
    }
}
