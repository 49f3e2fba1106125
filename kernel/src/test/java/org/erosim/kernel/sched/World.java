package org.erosim.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.ConsistencyChecker;
import org.erosim.kernel.object.MemoryObjectSource;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.object.ObjectHeader;
import org.erosim.kernel.object.ObjectSource;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.mmu.PhysicalMemory;

/**
 * A small scheduling world for tests: an in-memory source with process roots and plain
 * nodes, a cache, a process table, an activity table, a scheduler and both checkers.
 * Process {@code p} has root OID {@code rootOf(p)} and key-registers node {@code rootOf(p) + 1}.
 */
final class World implements AutoCloseable {
    static final long FIRST_ROOT = 0x1000;
    static final long FIRST_NODE = 0x8000;

    final MemoryObjectSource source = new MemoryObjectSource(0x100000, 1 << 20);
    final PhysicalMemory memory = new PhysicalMemory(4 * PhysicalMemory.PAGE_SIZE);
    final ObjectCache cache;
    final ProcessTable processes;
    final ActivityTable activities;
    final Scheduler scheduler;
    final SchedulerChecker checker;
    final ConsistencyChecker objectChecker;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[ObjectSource.NODE_KEYS_LENGTH]);
    private final ObjectHeader header = new ObjectHeader();

    World(int nodeCapacity, int processCapacity, int activityCapacity, WakePolicy policy, long slice) {
        cache = new ObjectCache(source, nodeCapacity, memory, PhysicalMemory.PAGE_SIZE, 2);
        processes = new ProcessTable(cache, processCapacity);
        activities = new ActivityTable(activityCapacity);
        scheduler = new Scheduler(cache, processes, activities, policy, slice);
        checker = new SchedulerChecker(scheduler);
        objectChecker = new ConsistencyChecker(cache);
    }

    static long rootOf(int p) {
        return FIRST_ROOT + 2L * p;
    }

    static long nodeOid(int n) {
        return FIRST_NODE + n;
    }

    private void clearScratch() {
        for (int s = 0; s < 32; s++) {
            scratch.setMemory(s * 16, 12, (byte) 0);
            scratch.putInt(s * 16 + 12, KeyDescriptor.VOID_TAIL);
        }
    }

    private void number(int slot, int w0, int w1, int w2) {
        scratch.putInt(slot * 16, w0);
        scratch.putInt(slot * 16 + 4, w1);
        scratch.putInt(slot * 16 + 8, w2);
        scratch.putInt(slot * 16 + 12, KeyType.NUMBER);
    }

    /** A plain node with all slots void. */
    void putNode(long oid) {
        clearScratch();
        source.writeNode(header.set(ObjectSource.KIND_NODE, oid, 0, 0), scratch, 0);
    }

    /** Process {@code p}: registers derived from {@code p}, the given run state. */
    void putProcess(int p, int runState) {
        int b = p * 16;
        putProcess(rootOf(p), runState, new int[] {b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10},
            new int[] {b + 11, b + 12, b + 13});
    }

    /**
     * A root with key registers at {@code root + 1}; {@code regs} = EIP, ESP, EFLAGS, EAX,
     * EBX, ECX, EDX, ESI, EDI, EBP; {@code receive} = rcvKeys, rcvPtr, rcvLimit.
     */
    void putProcess(long root, int runState, int[] regs, int[] receive) {
        putNode(root + 1);
        clearScratch();
        scratch.putLong(ProcessLayout.SLOT_KEY_REGISTERS * 16, root + 1);
        scratch.putInt(ProcessLayout.SLOT_KEY_REGISTERS * 16 + 8, 0);
        scratch.putInt(ProcessLayout.SLOT_KEY_REGISTERS * 16 + 12, KeyType.NODE);
        number(ProcessLayout.SLOT_FAULT_AND_STATE, 0, 0, runState);
        number(ProcessLayout.SLOT_EIP_ESP_EFLAGS, regs[0], regs[1], regs[2]);
        number(ProcessLayout.SLOT_EAX_EBX_ECX, regs[3], regs[4], regs[5]);
        number(ProcessLayout.SLOT_EDX_ESI_EDI, regs[6], regs[7], regs[8]);
        number(ProcessLayout.SLOT_EBP, regs[9], 0, 0);
        number(ProcessLayout.SLOT_RECEIVE, receive[0], receive[1], receive[2]);
        source.writeNode(header.set(ObjectSource.KIND_NODE, root, 0, 0), scratch, 0);
    }

    /** Overwrites slot {@code slot} of node {@code oid} on the source with a raw tail and words. */
    void patchSource(long oid, int slot, int tail, int w0, int w1, int w2) {
        ObjectHeader h = new ObjectHeader();
        assertTrue(source.readNode(oid, h, scratch, 0));
        scratch.putInt(slot * 16, w0);
        scratch.putInt(slot * 16 + 4, w1);
        scratch.putInt(slot * 16 + 8, w2);
        scratch.putInt(slot * 16 + 12, tail);
        source.writeNode(h, scratch, 0);
    }

    /** Loads process {@code p} (must succeed). */
    int load(int p) {
        int e = scheduler.load(rootOf(p));
        assertTrue(e >= 0, () -> "process " + p + " did not load: " + e);
        return e;
    }

    /** Loads an AVAILABLE process {@code p} and gives it a ready activity. */
    int startProcess(int p) {
        int e = load(p);
        int a = scheduler.start(e);
        assertTrue(a >= 0, () -> "no activity: " + a);
        return a;
    }

    /** Node {@code oid} in memory; its stall queue id. */
    int nodeQueue(long oid) {
        int i = cache.faultNode(oid);
        assertTrue(i >= 0, () -> "node 0x" + Long.toHexString(oid) + " did not fault in: " + i);
        return QueueId.node(i);
    }

    /** Dispatches the ready head, which must be {@code expected}. */
    void dispatchExpecting(int expected) {
        assertEquals(expected, scheduler.dispatch(), "dispatched activity");
    }

    /** The ready queue, head to tail. */
    List<Integer> ready() {
        List<Integer> out = new ArrayList<>();
        for (int a = scheduler.readyHead(); a != ActivityDescriptor.NONE; a = activities.next(a)) {
            out.add(a);
        }
        return out;
    }

    /** A stall queue, head to tail. */
    List<Integer> queue(int q) {
        List<Integer> out = new ArrayList<>();
        int h = QueueId.tag(q) == QueueId.TAG_NODE ? cache.nodes().stallHead(q) : processes.stallHead(QueueId.index(q));
        for (int a = h; a != ActivityDescriptor.NONE; a = activities.next(a)) {
            out.add(a);
        }
        return out;
    }

    void assertConsistent() {
        assertEquals(List.of(), checker.check(), "scheduler findings");
        assertEquals(List.of(), objectChecker.check(), "object findings");
    }

    @Override
    public void close() {
        memory.close();
    }
}
