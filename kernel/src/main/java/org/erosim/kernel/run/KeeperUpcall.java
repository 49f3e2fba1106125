package org.erosim.kernel.run;

import static org.erosim.kernel.process.ProcessDescriptor.*;

import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RegisterFile;
import org.erosim.kernel.cost.CostModel;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.NodeDescriptor;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.sched.Scheduler;

/**
 * Keeper upcalls (kernel.md §9): a fault of a process becomes a CALL made on its behalf to
 * a keeper — the <b>segment keeper</b> of the innermost kept red segment the faulting walk
 * went through, else the <b>process keeper</b> in its root slot 1.
 *
 * <h2>Segment keeper</h2>
 * {@link #segmentFault}: the CALL goes to the start key in the red segment's keeper slot,
 * with order {@link FaultCode#SEGMENT_FAULT}, w1 = fault code, w2:w3 = the 64-bit offset
 * within the red segment, key 2 = a node key to the red segment, key 3 = a fault resume key
 * marked {@link #KEYDATA_SEGMENT}; no string. The fault is <em>not</em> latched while the
 * keeper is busy: the faulter stalls on the keeper's queue with EIP at the faulting
 * instruction, and when woken re-executes it, re-walks the tree and finds whichever keeper is
 * current (or none). At the commit the fault is latched (code, info = the linear address) so
 * that a keeper declining it (nonzero w0 through the fault resume key) forwards it to the
 * process keeper: {@link Invocation} then restarts the faulter with the fault still latched,
 * and the dispatcher makes the process-keeper upcall.
 *
 * <h2>Process keeper</h2>
 *
 * <h2>The fault is latched, the upcall is an invocation</h2>
 * The dispatcher records the fault code and info in the faulter's process-table entry
 * ({@link ProcessTable#setFault}) and then asks for the upcall. A process whose entry holds
 * a fault code never runs guest code: whenever its activity is dispatched, the upcall is
 * attempted instead (EROS does the same). So the upcall follows the invocation discipline
 * exactly like a trap would:
 * <ul>
 *   <li><b>Dry run.</b> Prepare the keeper key (a stale one becomes void: no keeper); load
 *   the keeper process; if it is not AVAILABLE, the faulter's activity stalls on the
 *   keeper's stall queue — nothing has changed, and when woken it is dispatched, finds its
 *   fault still latched and tries the upcall again (whichever keeper is in slot 1 then).
 *   Validate the keeper's receive buffer.</li>
 *   <li><b>Commit.</b> {@link Scheduler#committed}.</li>
 *   <li><b>Effect.</b> The keeper receives order {@link FaultCode#PROCESS_FAULT}, w1 = fault
 *   code, w2 = fault info, w3 = 0, keyInfo = the badge of the keeper's start key, the
 *   register file (abi.md §7) as its string, and in its receive registers: key 0 = a
 *   process key to the faulter, keys 1 and 2 void, key 3 = a <b>fault resume key</b> (a
 *   RESUME key with {@link KeyDescriptor#KEYDATA_FAULT}). The faulter becomes WAITING, the
 *   keeper RUNNING.</li>
 * </ul>
 *
 * <p>What the keeper's reply through the fault resume key does is {@link Invocation}'s
 * business (a reply with w0 = 0 clears the fault and restarts the faulter; anything else
 * leaves it halted).
 *
 * <p>Allocation-free: the register file is built in one preallocated 52-byte buffer.
 */
final class KeeperUpcall {
    /** The upcall committed: the faulter is WAITING, the keeper RUNNING. */
    static final int DELIVERED = 0;
    /** The keeper is not AVAILABLE: the faulter's activity is on the keeper's stall queue. */
    static final int STALLED = 1;
    /** Root slot 1 holds no start key (or one that was rescinded): the faulter is halted. */
    static final int NO_KEEPER = 2;
    /** The keeper's process cannot be loaded (malformed root, or no room in the process table). */
    static final int KEEPER_UNLOADABLE = 3;
    /** The keeper key's object cannot be brought into the object cache now. */
    static final int NO_OBJECT_ROOM = 4;
    /** The faulter's call count is exhausted: no fault resume key can be made. */
    static final int NO_RESUME_KEY = 5;

    /**
     * keyData bit of a fault resume key made by a segment-keeper upcall (beside abi.md's
     * {@link KeyDescriptor#KEYDATA_FAULT}): a declined fault goes on to the process keeper.
     * Kernel-internal; a guest can only compare such keys.
     */
    static final int KEYDATA_SEGMENT = 2;

    private final KernelMachine machine;
    private final ProcessTable processes;
    private final Keys keys;
    private final NodeTable nodes;
    private final Scheduler scheduler;
    private final UserMemory memory;
    private final byte[] registerFile = new byte[RegisterFile.SIZE];
    /** Builds the register file, as PROCESS GET_REGS does. */
    private final ProcessKeyOrders registers;

    /** Upcalls delivered (process and segment keepers), and attempts that stalled on a busy keeper. */
    long upcalls;
    long segmentUpcalls;
    long stalls;
    /** The keeper's root OID of the last {@link #KEEPER_UNLOADABLE} (for the report). */
    long unloadableKeeper;

    KeeperUpcall(KernelMachine machine, ProcessTable processes, Scheduler scheduler, UserMemory memory,
        ProcessKeyOrders registers) {
        this.registers = registers;
        this.machine = machine;
        this.processes = processes;
        this.keys = processes.cache().keys();
        this.nodes = processes.cache().nodes();
        this.scheduler = scheduler;
        this.memory = memory;
    }

    /**
     * Attempts the upcall for entry {@code e}, whose fault is latched, on behalf of its
     * activity {@code a} (the running one). Returns {@link #DELIVERED}, {@link #STALLED} or
     * a reason the faulter must be halted; in every case but DELIVERED and STALLED nothing
     * has changed and {@code a} is still running.
     */
    int upcall(int e, int a) {
        int keeperKey = KeyLocation.nodeSlot(processes.rootNode(e), ProcessLayout.SLOT_KEEPER);
        return call(e, a, keeperKey, NodeDescriptor.NONE, FaultCode.PROCESS_FAULT, processes.faultCode(e),
            processes.faultInfo(e), 0, 0);
    }

    /**
     * The segment-keeper upcall for entry {@code e} (activity {@code a} running), whose
     * instruction faulted with {@code code} at {@code linear}, {@code offset} bytes into kept
     * red segment {@code redNode} (a node-table index, valid now: it is pinned for the call).
     * Returns as {@link #upcall}; on anything but DELIVERED and STALLED the fault goes to the
     * process keeper.
     */
    int segmentFault(int e, int a, int redNode, long offset, int code, int linear) {
        int keeperSlot = keys.redSegmentKeeperSlot(redNode);
        if (keeperSlot < 0) {
            return NO_KEEPER; // the walker named it kept; defensive only
        }
        nodes.pin(redNode); // preparing the keeper key may fault objects in and evict
        try {
            return call(e, a, KeyLocation.nodeSlot(redNode, keeperSlot), redNode,
                FaultCode.SEGMENT_FAULT, code, (int) offset, (int) (offset >>> 32), linear);
        } finally {
            nodes.unpin(redNode);
        }
    }

    /**
     * The upcall: a CALL on behalf of entry {@code e} through the start key at
     * {@code keeperKey}, with words {@code order, w1, w2, w3}. {@code redNode} is NONE for
     * a process-keeper upcall (key 0 = process key, string = register file, the fault is
     * already latched) or the red segment of a segment-keeper upcall (key 2 = node key to
     * it, no string, the fault is latched at the commit with {@code info}).
     */
    private int call(int e, int a, int keeperKey, int redNode, int order, int w1, int w2, int w3, int info) {
        machine.charge(CostModel.GATE_CHECK);
        // ---------------------------------------------------------------- dry run
        boolean segment = redNode != NodeDescriptor.NONE;
        int faulterRoot = processes.rootNode(e);
        if (KeyDescriptor.type(keys.tailAt(keeperKey)) != KeyType.START) {
            return NO_KEEPER;
        }
        machine.charge(CostModel.KEY_PREPARE);
        int keeperRoot = keys.prepare(keeperKey);
        if (keeperRoot == Keys.NO_RESOURCES) {
            return NO_OBJECT_ROOM;
        }
        int keeperTail = keys.tailAt(keeperKey);
        if (KeyDescriptor.type(keeperTail) != KeyType.START) {
            return NO_KEEPER; // it was stale: rescinded keeper, void in place
        }
        if (nodes.callCount(faulterRoot) == -1) {
            return NO_RESUME_KEY;
        }
        long keeperOid = nodes.oid(keeperRoot);
        int t = scheduler.load(keeperOid); // the entry, loaded if it was not
        if (t < 0) {
            unloadableKeeper = keeperOid;
            return KEEPER_UNLOADABLE;
        }
        if (processes.runState(t) != ProcessLayout.AVAILABLE) {
            // Invariant: nothing has changed; a process fault stays latched in e's entry, a
            // segment fault is not latched (EIP is at the faulting instruction).
            machine.stallInvoker(e, a, t);
            stalls++;
            return STALLED;
        }
        if (!segment) {
            registers.registerFile(e, faulterRoot, registerFile);
        }
        int delivered = segment ? 0 : Math.min(RegisterFile.SIZE, processes.get(t, RCV_LIMIT_OFFSET));
        if (delivered > 0) {
            memory.enterSpaceOf(processes.rootNode(t));
            delivered = memory.writablePrefix(processes.get(t, RCV_PTR_OFFSET), delivered);
        }
        // ---------------------------------------------------------------- commit point
        scheduler.committed(a);
        // ---------------------------------------------------------------- effect
        if (segment) {
            processes.setFault(e, w1, info); // latched: a decline forwards it to the process keeper
        }
        if (delivered > 0) {
            machine.chargeString(delivered);
            memory.write(processes.get(t, RCV_PTR_OFFSET), registerFile, delivered);
        }
        int rcv = processes.get(t, RCV_KEYS_OFFSET);
        int to = processes.keyRegistersNode(t);
        long faulterOid = processes.rootOid(e);
        for (int i = 0; i < 4; i++) {
            int dst = (rcv >>> (8 * i)) & 0xFF;
            if (dst == 0) {
                continue; // register 0 discards
            }
            int location = KeyLocation.nodeSlot(to, dst);
            if (i == 0 && !segment) {
                machine.charge(CostModel.KEY_COPY);
                keys.storeObjectKey(location, KeyType.PROCESS, faulterOid, nodes.allocationCount(faulterRoot), 0, 0);
            } else if (i == 2 && segment) {
                machine.charge(CostModel.KEY_COPY);
                keys.storeObjectKey(location, KeyType.NODE, nodes.oid(redNode), nodes.allocationCount(redNode), 0, 0);
            } else if (i == 3) {
                machine.charge(CostModel.RESUME_FABRICATE);
                keys.storeObjectKey(location, KeyType.RESUME, faulterOid, nodes.callCount(faulterRoot), 0,
                    segment ? KeyDescriptor.KEYDATA_FAULT | KEYDATA_SEGMENT : KeyDescriptor.KEYDATA_FAULT);
            } else {
                keys.storeVoid(location);
            }
        }
        machine.charge(CostModel.WORD_COPY);
        processes.setMessage(t, order, w1, w2, w3, delivered, KeyDescriptor.keyData(keeperTail));
        machine.settle(a);
        scheduler.exit(a, ProcessLayout.WAITING);
        // Invariant: the keeper was AVAILABLE, so it had no activity; the faulter's was just freed.
        scheduler.start(t);
        upcalls++;
        if (segment) {
            segmentUpcalls++;
        }
        return DELIVERED;
    }
}
