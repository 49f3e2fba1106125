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
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.sched.QueueId;
import org.erosim.kernel.sched.Scheduler;

/**
 * The process-keeper upcall (kernel.md §9): a fault of a process becomes a CALL made on its
 * behalf to the start key in its root slot 1.
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
final class ProcessKeeper {
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

    private final KernelMachine machine;
    private final ProcessTable processes;
    private final Keys keys;
    private final NodeTable nodes;
    private final Scheduler scheduler;
    private final UserMemory memory;
    private final byte[] registerFile = new byte[RegisterFile.SIZE];

    /** Upcalls delivered, and upcall attempts that stalled on a busy keeper. */
    long upcalls;
    long stalls;
    /** The keeper's root OID of the last {@link #KEEPER_UNLOADABLE} (for the report). */
    long unloadableKeeper;

    ProcessKeeper(KernelMachine machine, ProcessTable processes, Scheduler scheduler, UserMemory memory) {
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
        machine.charge(CostModel.GATE_CHECK);
        // ---------------------------------------------------------------- dry run
        int faulterRoot = processes.rootNode(e);
        int keeperKey = KeyLocation.nodeSlot(faulterRoot, ProcessLayout.SLOT_KEEPER);
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
        int t = processes.find(keeperOid);
        if (t == ProcessTable.NONE) {
            t = scheduler.load(keeperOid);
            if (t < 0) {
                unloadableKeeper = keeperOid;
                return KEEPER_UNLOADABLE;
            }
        }
        if (processes.runState(t) != ProcessLayout.AVAILABLE) {
            // Invariant: nothing has changed; the fault stays latched in e's entry.
            machine.charge(CostModel.STALL_ENQUEUE);
            machine.settle(a);
            scheduler.stall(a, QueueId.process(t), machine.retryCycles());
            stalls++;
            return STALLED;
        }
        fillRegisterFile(e);
        int delivered = Math.min(RegisterFile.SIZE, processes.get(t, RCV_LIMIT_OFFSET));
        if (delivered > 0) {
            memory.bind(KeyLocation.nodeSlot(processes.rootNode(t), ProcessLayout.SLOT_ADDRESS_SPACE));
            memory.reloadCr3();
            delivered = memory.writablePrefix(processes.get(t, RCV_PTR_OFFSET), delivered);
        }
        // ---------------------------------------------------------------- commit point
        scheduler.committed(a);
        // ---------------------------------------------------------------- effect
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
            if (i == 0) {
                machine.charge(CostModel.KEY_COPY);
                keys.storeObjectKey(location, KeyType.PROCESS, faulterOid, nodes.allocationCount(faulterRoot), 0, 0);
            } else if (i == 3) {
                machine.charge(CostModel.RESUME_FABRICATE);
                keys.storeObjectKey(location, KeyType.RESUME, faulterOid, nodes.callCount(faulterRoot), 0,
                    KeyDescriptor.KEYDATA_FAULT);
            } else {
                keys.storeVoid(location);
            }
        }
        machine.charge(CostModel.WORD_COPY);
        processes.set(t, EAX_OFFSET, FaultCode.PROCESS_FAULT);
        processes.set(t, EBX_OFFSET, processes.faultCode(e));
        processes.set(t, ECX_OFFSET, processes.faultInfo(e));
        processes.set(t, EDX_OFFSET, 0);
        processes.set(t, ESI_OFFSET, delivered);
        processes.set(t, EDI_OFFSET, KeyDescriptor.keyData(keeperTail));
        machine.settle(a);
        scheduler.exit(a, ProcessLayout.WAITING);
        // Invariant: the keeper was AVAILABLE, so it had no activity; the faulter's was just freed.
        scheduler.start(t);
        upcalls++;
        return DELIVERED;
    }

    /** The faulter's register file (abi.md §7), little-endian, into {@link #registerFile}. */
    private void fillRegisterFile(int e) {
        put(RegisterFile.VERSION, RegisterFile.VERSION_CURRENT);
        put(RegisterFile.FAULT_CODE, processes.faultCode(e));
        put(RegisterFile.FAULT_INFO, processes.faultInfo(e));
        put(RegisterFile.EIP, processes.get(e, EIP_OFFSET));
        put(RegisterFile.EFLAGS, processes.get(e, EFLAGS_OFFSET));
        put(RegisterFile.EAX, processes.get(e, EAX_OFFSET));
        put(RegisterFile.EBX, processes.get(e, EBX_OFFSET));
        put(RegisterFile.ECX, processes.get(e, ECX_OFFSET));
        put(RegisterFile.EDX, processes.get(e, EDX_OFFSET));
        put(RegisterFile.ESI, processes.get(e, ESI_OFFSET));
        put(RegisterFile.EDI, processes.get(e, EDI_OFFSET));
        put(RegisterFile.EBP, processes.get(e, EBP_OFFSET));
        put(RegisterFile.ESP, processes.get(e, ESP_OFFSET));
    }

    private void put(int offset, int value) {
        registerFile[offset] = (byte) value;
        registerFile[offset + 1] = (byte) (value >>> 8);
        registerFile[offset + 2] = (byte) (value >>> 16);
        registerFile[offset + 3] = (byte) (value >>> 24);
    }
}
