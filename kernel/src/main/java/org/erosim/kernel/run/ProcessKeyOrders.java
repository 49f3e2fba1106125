package org.erosim.kernel.run;

import static org.erosim.kernel.process.ProcessDescriptor.*;

import org.erosim.cpu.Flags;
import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.OrderCode;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RegisterFile;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.cost.CostModel;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.NodeDescriptor;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.object.RecordBuffer;
import org.erosim.kernel.object.SlotWriteListener;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.sched.Scheduler;

/**
 * PROCESS key orders (abi.md §4, §6, §7). The invoked process key is prepared against the
 * process's root node (its handle) and the root is pinned for the invocation.
 *
 * <p><b>Where the state is.</b> Root slots 0-7 (schedule, keeper, space, key registers,
 * ...) are always read and written in the root node. Registers, fault code and info and the
 * run state live in the process-table entry while the process is loaded — the entry is the
 * truth then and root slots 8-13 are stale — and in root slots 8-13 otherwise. Every order
 * looks the process up in the table ({@link ProcessTable#find}) and uses whichever holds
 * the truth; nothing here loads a process. Root writes go through {@link Keys}, the one
 * write path (so a write of slot 2 invalidates the mappings built through it, and the
 * owner becomes dirty). An unloaded root that is not shaped like a process
 * ({@link ProcessTable#checkRoot}) answers REQUEST_ERROR to the orders that need slots 3 or
 * 8-13.
 *
 * <p><b>Restrictions.</b> Through a read-only process key every order that changes the
 * process or confers authority over it answers NO_ACCESS: SWAP_SLOT, SWAP_KEYREG, SET_REGS,
 * MAKE_RESUME_KEY, MAKE_START_KEY. COPY_SLOT, COPY_KEYREG, GET_REGS and GET_STATE work; keys
 * copied out through a weak key are diminished (read-only and weak), and COPY_SLOT 3 (the
 * key-registers node key) through a read-only key is read-only, so it cannot be used to
 * write the key registers.
 *
 * <p><b>A running process.</b> Slot writes (SWAP_SLOT, SWAP_KEYREG) take effect at once; a
 * new address space (slot 2) is loaded when the process is next dispatched, for the
 * invoker itself when this invocation returns. SET_REGS on a RUNNING process changes its
 * entry, which the dispatcher loads when it next runs the process (a process stalled in an
 * invocation retries from the new EIP). On the invoker itself: its entry already holds the
 * EIP after the trap when the order acts, so GET_REGS shows the registers it would resume
 * with and SET_REGS sets them; on CALL the answer then overwrites EAX..EDX, ESI and EDI.
 * MAKE_RESUME_KEY on a RUNNING process other than the invoker ends its activity (off the
 * ready queue, a stall queue or the sleep queue) and leaves it WAITING with its registers as
 * they are (a process caught stalled in an invocation has EIP at its INT 0x31 and
 * re-executes it when resumed); on the invoker itself it answers REQUEST_ERROR.
 *
 * <p>Allocation-free.
 */
final class ProcessKeyOrders {
    /** Root slots 0..7 are the process's keys (abi.md §6); COPY_SLOT / SWAP_SLOT reach no further. */
    private static final int LAST_ROOT_SLOT = 7;

    private final Invocation invocation;
    private final KernelMachine machine;
    private final ProcessTable processes;
    private final Scheduler scheduler;
    private final Keys keys;
    private final NodeTable nodes;
    private final RecordBuffer nodeBuffer;
    /** The dry run's key-registers node for COPY_KEYREG / SWAP_KEYREG (NONE: malformed). */
    private int keyRegisters = NodeDescriptor.NONE;

    ProcessKeyOrders(Invocation invocation, KernelMachine machine, ProcessTable processes, Scheduler scheduler) {
        this.invocation = invocation;
        this.machine = machine;
        this.processes = processes;
        this.scheduler = scheduler;
        this.keys = processes.cache().keys();
        this.nodes = processes.cache().nodes();
        this.nodeBuffer = nodes.buffer();
    }

    /**
     * Dry run: COPY_KEYREG and SWAP_KEYREG need the key-registers node in memory: the
     * entry's if the process is loaded, else the one root slot 3 names (prepared, which may
     * fault it in); it is pinned for the invocation. False if it cannot be brought in.
     */
    boolean prepare(int location, int order) {
        keyRegisters = NodeDescriptor.NONE;
        if (order != OrderCode.PROCESS_COPY_KEYREG && order != OrderCode.PROCESS_SWAP_KEYREG) {
            return true;
        }
        int root = keys.word2At(location);
        int t = processes.find(nodes.oid(root));
        int k;
        if (t != ProcessTable.NONE) {
            k = processes.keyRegistersNode(t);
        } else {
            int slot = KeyLocation.nodeSlot(root, ProcessLayout.SLOT_KEY_REGISTERS);
            if (KeyDescriptor.type(keys.tailAt(slot)) != KeyType.NODE) {
                return true; // malformed: the order answers REQUEST_ERROR
            }
            machine.charge(CostModel.KEY_PREPARE);
            k = keys.prepare(slot);
            if (k == Keys.NO_RESOURCES) {
                return false;
            }
            if (k < 0) {
                return true; // a stale key-registers key: malformed
            }
        }
        invocation.pinObject(KeyType.NODE, k);
        keyRegisters = k;
        return true;
    }

    /** The order through the prepared process key at {@code location}, invoked by entry {@code e}; the result code. */
    int act(int e, int order, int location) {
        int keyTail = keys.tailAt(location);
        int restrictions = KeyDescriptor.restrictions(keyTail);
        boolean readOnly = (restrictions & Restriction.READ_ONLY) != 0;
        int diminish = (restrictions & Restriction.WEAK) != 0 ? Restriction.diminished(0) : 0;
        int root = keys.word2At(location);
        int t = processes.find(nodes.oid(root));
        int w1 = invocation.word(e, 1);
        int answer = Invocation.ANSWER_KEY;
        switch (order) {
            case OrderCode.PROCESS_COPY_SLOT:
                if (Integer.compareUnsigned(w1, LAST_ROOT_SLOT) > 0) {
                    return ResultCode.REQUEST_ERROR; // root slots 0..7
                }
                int copyExtra = diminish | (w1 == ProcessLayout.SLOT_KEY_REGISTERS && readOnly ? Restriction.READ_ONLY : 0);
                keys.copy(KeyLocation.nodeSlot(root, w1), answer, copyExtra);
                return ResultCode.OK;
            case OrderCode.PROCESS_SWAP_SLOT:
                if (readOnly) {
                    return ResultCode.NO_ACCESS;
                }
                if (Integer.compareUnsigned(w1, LAST_ROOT_SLOT) > 0
                    || w1 == ProcessLayout.SLOT_KEY_REGISTERS) {
                    return ResultCode.REQUEST_ERROR; // slots 0..7 but 3
                }
                swap(KeyLocation.nodeSlot(root, w1), invocation.sentKey(e, 0), diminish);
                return ResultCode.OK;
            case OrderCode.PROCESS_COPY_KEYREG:
                if (Integer.compareUnsigned(w1, ProcessLayout.KEY_REGISTERS) >= 0 || keyRegisters == NodeDescriptor.NONE) {
                    return ResultCode.REQUEST_ERROR;
                }
                if (w1 != 0) { // register 0 always reads as void: the answer key stays void
                    keys.copy(KeyLocation.nodeSlot(keyRegisters, w1), answer, diminish);
                }
                return ResultCode.OK;
            case OrderCode.PROCESS_SWAP_KEYREG:
                if (readOnly) {
                    return ResultCode.NO_ACCESS;
                }
                if (Integer.compareUnsigned(w1, ProcessLayout.KEY_REGISTERS) >= 0 || keyRegisters == NodeDescriptor.NONE) {
                    return ResultCode.REQUEST_ERROR;
                }
                if (w1 != 0) { // register 0: void out, the key in is discarded
                    swap(KeyLocation.nodeSlot(keyRegisters, w1), invocation.sentKey(e, 0), diminish);
                }
                return ResultCode.OK;
            case OrderCode.PROCESS_MAKE_START_KEY:
                if (readOnly) {
                    return ResultCode.NO_ACCESS;
                }
                if ((w1 & ~0xFFFF) != 0) {
                    return ResultCode.REQUEST_ERROR; // the badge is 16 bits
                }
                // The process key's other restrictions carry over; the new key joins the root's
                // ring (the invoked key is prepared, so is the new one).
                int hazards = (KeyDescriptor.FLAG_READ_HAZARD | KeyDescriptor.FLAG_WRITE_HAZARD) << 8;
                keys.store(answer, KeyDescriptor.withKeyData((keyTail & ~0xFF & ~hazards) | KeyType.START, w1), 0L, root,
                    SlotWriteListener.CAUSE_WRITE);
                return ResultCode.OK;
            case OrderCode.PROCESS_MAKE_RESUME_KEY:
                if (readOnly) {
                    return ResultCode.NO_ACCESS;
                }
                return makeResumeKey(e, t, root);
            case OrderCode.PROCESS_GET_REGS:
                if (t == ProcessTable.NONE && processes.checkRoot(root) != FaultCode.NONE) {
                    return ResultCode.REQUEST_ERROR;
                }
                registerFile(t, root, invocation.answer);
                invocation.answerLength = RegisterFile.SIZE;
                return ResultCode.OK;
            case OrderCode.PROCESS_SET_REGS:
                if (readOnly) {
                    return ResultCode.NO_ACCESS;
                }
                byte[] s = invocation.sendString();
                if (invocation.sendLength() != RegisterFile.SIZE
                    || u32(s, RegisterFile.VERSION) != RegisterFile.VERSION_CURRENT
                    || t == ProcessTable.NONE && processes.checkRoot(root) != FaultCode.NONE) {
                    return ResultCode.REQUEST_ERROR;
                }
                setRegs(t, root, s);
                return ResultCode.OK;
            case OrderCode.PROCESS_GET_STATE:
                if (t != ProcessTable.NONE) {
                    invocation.r1 = processes.runState(t);
                    invocation.r2 = processes.faultCode(t);
                    invocation.r3 = processes.faultInfo(t);
                    return ResultCode.OK;
                }
                if (processes.checkRoot(root) != FaultCode.NONE) {
                    return ResultCode.REQUEST_ERROR;
                }
                invocation.r1 = rootWord(root, ProcessLayout.SLOT_FAULT_AND_STATE, 2) & RUN_STATE_MASK;
                invocation.r2 = rootWord(root, ProcessLayout.SLOT_FAULT_AND_STATE, 0);
                invocation.r3 = rootWord(root, ProcessLayout.SLOT_FAULT_AND_STATE, 1);
                return ResultCode.OK;
            default:
                return ResultCode.UNKNOWN_REQUEST;
        }
    }

    /** Old key at {@code slot} to the answer key, the key at {@code in} into the slot, both ORed with {@code extra}. */
    private void swap(int slot, int in, int extra) {
        keys.copy(slot, Invocation.ANSWER_KEY, extra);
        keys.copy(in, slot, extra);
    }

    /**
     * MAKE_RESUME_KEY: the process becomes WAITING (a RUNNING one loses its activity), every
     * resume key to it is voided (the root's call count grows, so unprepared copies die at
     * their next preparation too), and key 0 is a fresh resume key carrying the new count.
     */
    private int makeResumeKey(int e, int t, int root) {
        if (t == e) {
            return ResultCode.REQUEST_ERROR; // the invoker cannot wait for a key it would have to use itself
        }
        if (t == ProcessTable.NONE && processes.checkRoot(root) != FaultCode.NONE) {
            return ResultCode.REQUEST_ERROR;
        }
        if (nodes.callCount(root) == -1) {
            return ResultCode.NO_RESOURCES; // counts are unsigned and never wrap
        }
        if (t != ProcessTable.NONE) {
            int activity = processes.activity(t);
            if (activity != NONE) {
                scheduler.exit(activity, ProcessLayout.WAITING);
            } else {
                processes.setRunState(t, ProcessLayout.WAITING);
            }
        } else {
            int slot = ProcessLayout.SLOT_FAULT_AND_STATE;
            int runWord = rootWord(root, slot, 2);
            keys.storeNumber(KeyLocation.nodeSlot(root, slot), rootWord(root, slot, 0), rootWord(root, slot, 1),
                (runWord & ~RUN_STATE_MASK) | ProcessLayout.WAITING);
        }
        machine.charge(CostModel.RESUME_CONSUME);
        keys.consumeResumeKeys(root);
        machine.charge(CostModel.RESUME_FABRICATE);
        keys.storeObjectKey(Invocation.ANSWER_KEY, KeyType.RESUME, nodes.oid(root), nodes.callCount(root), 0, 0);
        return ResultCode.OK;
    }

    /**
     * Fills {@code out} with the register file (abi.md §7) of entry {@code t}, or of root
     * {@code root} if NONE: GET_REGS's answer and the PROCESS_FAULT upcall's string.
     */
    void registerFile(int t, int root, byte[] out) {
        putU32(out, RegisterFile.VERSION, RegisterFile.VERSION_CURRENT);
        putU32(out, RegisterFile.FAULT_CODE, field(t, root, FAULT_CODE_OFFSET));
        putU32(out, RegisterFile.FAULT_INFO, field(t, root, FAULT_INFO_OFFSET));
        putU32(out, RegisterFile.EIP, field(t, root, EIP_OFFSET));
        putU32(out, RegisterFile.EFLAGS, field(t, root, EFLAGS_OFFSET));
        putU32(out, RegisterFile.EAX, field(t, root, EAX_OFFSET));
        putU32(out, RegisterFile.EBX, field(t, root, EBX_OFFSET));
        putU32(out, RegisterFile.ECX, field(t, root, ECX_OFFSET));
        putU32(out, RegisterFile.EDX, field(t, root, EDX_OFFSET));
        putU32(out, RegisterFile.ESI, field(t, root, ESI_OFFSET));
        putU32(out, RegisterFile.EDI, field(t, root, EDI_OFFSET));
        putU32(out, RegisterFile.EBP, field(t, root, EBP_OFFSET));
        putU32(out, RegisterFile.ESP, field(t, root, ESP_OFFSET));
    }

    /**
     * Writes the register file {@code in} to entry {@code t}, or to root {@code root}'s slots
     * 8-12 if NONE (the run word is kept). EFLAGS is sanitised as the dispatcher does on every
     * resume: only the flags a process controls, IF and the fixed bit 1 set.
     */
    private void setRegs(int t, int root, byte[] in) {
        int faultCode = u32(in, RegisterFile.FAULT_CODE);
        int faultInfo = u32(in, RegisterFile.FAULT_INFO);
        int eip = u32(in, RegisterFile.EIP);
        int eflags = (u32(in, RegisterFile.EFLAGS) & KernelMachine.USER_FLAGS) | Flags.IF | Flags.FIXED1;
        int eax = u32(in, RegisterFile.EAX);
        int ebx = u32(in, RegisterFile.EBX);
        int ecx = u32(in, RegisterFile.ECX);
        int edx = u32(in, RegisterFile.EDX);
        int esi = u32(in, RegisterFile.ESI);
        int edi = u32(in, RegisterFile.EDI);
        int ebp = u32(in, RegisterFile.EBP);
        int esp = u32(in, RegisterFile.ESP);
        if (t != ProcessTable.NONE) {
            processes.setFault(t, faultCode, faultInfo);
            processes.set(t, EIP_OFFSET, eip);
            processes.set(t, EFLAGS_OFFSET, eflags);
            processes.set(t, EAX_OFFSET, eax);
            processes.set(t, EBX_OFFSET, ebx);
            processes.set(t, ECX_OFFSET, ecx);
            processes.set(t, EDX_OFFSET, edx);
            processes.set(t, ESI_OFFSET, esi);
            processes.set(t, EDI_OFFSET, edi);
            processes.set(t, EBP_OFFSET, ebp);
            processes.set(t, ESP_OFFSET, esp);
            return;
        }
        int runWord = rootWord(root, ProcessLayout.SLOT_FAULT_AND_STATE, 2);
        keys.storeNumber(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_FAULT_AND_STATE), faultCode, faultInfo, runWord);
        keys.storeNumber(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_EIP_ESP_EFLAGS), eip, esp, eflags);
        keys.storeNumber(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_EAX_EBX_ECX), eax, ebx, ecx);
        keys.storeNumber(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_EDX_ESI_EDI), edx, esi, edi);
        keys.storeNumber(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_EBP), ebp, 0, 0);
    }

    /** A register-file field: from entry {@code t} if loaded, else from root {@code root}'s number slots. */
    private int field(int t, int root, int entryOffset) {
        if (t != ProcessTable.NONE) {
            return processes.get(t, entryOffset);
        }
        switch (entryOffset) {
            case FAULT_CODE_OFFSET:
                return rootWord(root, ProcessLayout.SLOT_FAULT_AND_STATE, 0);
            case FAULT_INFO_OFFSET:
                return rootWord(root, ProcessLayout.SLOT_FAULT_AND_STATE, 1);
            case EIP_OFFSET:
                return rootWord(root, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 0);
            case ESP_OFFSET:
                return rootWord(root, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 1);
            case EFLAGS_OFFSET:
                return rootWord(root, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 2);
            case EAX_OFFSET:
                return rootWord(root, ProcessLayout.SLOT_EAX_EBX_ECX, 0);
            case EBX_OFFSET:
                return rootWord(root, ProcessLayout.SLOT_EAX_EBX_ECX, 1);
            case ECX_OFFSET:
                return rootWord(root, ProcessLayout.SLOT_EAX_EBX_ECX, 2);
            case EDX_OFFSET:
                return rootWord(root, ProcessLayout.SLOT_EDX_ESI_EDI, 0);
            case ESI_OFFSET:
                return rootWord(root, ProcessLayout.SLOT_EDX_ESI_EDI, 1);
            case EDI_OFFSET:
                return rootWord(root, ProcessLayout.SLOT_EDX_ESI_EDI, 2);
            case EBP_OFFSET:
                return rootWord(root, ProcessLayout.SLOT_EBP, 0);
            default:
                throw new IllegalArgumentException("no register at entry offset " + entryOffset);
        }
    }

    /** Word {@code w} (0..2) of the number key in slot {@code slot} of node {@code node}. */
    private int rootWord(int node, int slot, int w) {
        return nodeBuffer.getInt(nodes.slotOffset(node, slot) + 4 * w);
    }

    private static int u32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static void putU32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
