package org.erosim.kernel.run;

import static org.erosim.kernel.process.ProcessDescriptor.*;

import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.InvocationType;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Limits;
import org.erosim.kernel.abi.OrderCode;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.cost.CostModel;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.NodeDescriptor;
import org.erosim.kernel.object.SlotWriteListener;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.sched.QueueId;
import org.erosim.kernel.sched.Scheduler;

/**
 * The invocation path (kernel.md §4): one {@code INT 0x31} from a ring-3 process, written
 * as <b>entry → dry run → commit → effect</b>.
 *
 * <ul>
 *   <li><b>Entry.</b> The dispatcher has saved the registers into the process-table entry
 *   and backed EIP up to the trap instruction, so that a stall (which discards all work)
 *   re-executes the trap when the activity is woken.</li>
 *   <li><b>Dry run.</b> Reads only: the descriptor (through the MMU, as the process would),
 *   the invoked key register, the send string. Any of these may fail: a malformed
 *   descriptor is the process fault MALFORMED_SYSCALL; an object that cannot be brought in
 *   would stall (not reachable yet: no key this slice invokes needs a fault-in that can
 *   fail, see below). Nothing the guest or another process can observe changes before the
 *   commit point; preparing a key only changes its representation.</li>
 *   <li><b>Commit.</b> {@link Scheduler#committed}; from here on nothing stalls.</li>
 *   <li><b>Effect.</b> The kernel key acts (console output, trace mark, stop), the answer is
 *   delivered to the invoker (CALL) or dropped (SEND, RETURN), run states change
 *   (RETURN: AVAILABLE) and EIP moves past the trap.</li>
 * </ul>
 *
 * <p>This slice implements the kernel keys VOID, NUMBER (GET), CONSOLE (WRITE), SYSTRACE
 * (MARK, STOP_RUN), NODE (COPY_SLOT, SWAP_SLOT, WRITE_NUMBER, CLEAR, MAKE_SEGMENT_KEY,
 * REDUCE), SEGMENT and PAGE (REDUCE), DISCRIM (CLASSIFY, COMPARE), RANGE (MAKE_NUMBER),
 * GET_TYPE on every key, UNKNOWN_REQUEST for orders a key does not have, and the
 * invocation types CALL, SEND, RETURN and their prompt variants on those keys. A key an
 * order produces is built in a scratch register and goes to the invoker's first receive
 * register on CALL. Orders this slice does not implement yet (PAGE ZERO/CLONE; kept red
 * segments; PROCESS, SLEEP, SCHED, CHECKPOINT orders other than GET_TYPE; RANGE
 * NEW_NODE, NEW_PAGE, NEW_PROCESS and RESCIND; SYSTRACE READ/RESET_COUNTERS; QPOST) answer {@link #UNSUPPORTED}: the dispatcher halts
 * the invoker with a report naming what is missing, rather than giving a wrong answer.
 *
 * <p>Allocation-free: the descriptor is decoded into int fields, the string into one
 * preallocated 64 KiB buffer.
 */
final class Invocation {
    /** The invoker continues: its entry holds the registers to resume with. */
    static final int RESUME = 0;
    /** The invoker's activity left the CPU (RETURN made it AVAILABLE). */
    static final int LEFT = 1;
    /** A process fault: {@link #faultCode}, {@link #faultInfo}. Nothing was committed. */
    static final int FAULT = 2;
    /** SYSTRACE STOP_RUN: the run ends with {@link #stopStatus}. The invoker's state is committed. */
    static final int STOP = 3;
    /** An invocation this slice does not implement: {@link #unsupported} says which. Nothing was committed. */
    static final int UNSUPPORTED = 4;

    /** Length of {@code INT imm8}: the entry's EIP points here bytes before the return address. */
    static final int TRAP_LENGTH = 2;

    private final KernelMachine machine;
    private final ProcessTable processes;
    private final Keys keys;
    private final Scheduler scheduler;
    private final UserMemory memory;
    private final byte[] descriptor = new byte[InvocationDescriptor.LENGTH];
    private final byte[] string = new byte[Limits.MAX_STRING];

    // The decoded descriptor of the invocation in progress.
    private int invType;
    private int invKey;
    private int sndKeys;
    private int sndPtr;
    private int sndLen;
    private int rcvKeys;
    private int rcvPtr;
    private int rcvLimit;

    // The answer of the invoked kernel key (delivered on CALL, dropped otherwise).
    private int r0;
    private int r1;
    private int r2;
    private int r3;

    int faultCode;
    int faultInfo;
    int stopStatus;
    /** What {@link #UNSUPPORTED} refers to: key type in the high half, order code low (for the report). */
    int unsupportedType;
    int unsupportedOrder;

    /** Counters: invocations by type and by invoked key type, malformed ones. */
    final long[] byInvocationType = new long[InvocationType.QPOST + 1];
    final long[] byKeyType = new long[KeyType.COUNT];
    long malformed;
    long stalls;
    long gateInvocations;
    long marks;
    /** Trace marks: tag and cycle, the last {@link #MARK_CAPACITY} kept. */
    static final int MARK_CAPACITY = 1024;
    final int[] markTags = new int[MARK_CAPACITY];
    final long[] markCycles = new long[MARK_CAPACITY];

    Invocation(KernelMachine machine, ProcessTable processes, Scheduler scheduler, UserMemory memory) {
        this.machine = machine;
        this.processes = processes;
        this.keys = processes.cache().keys();
        this.scheduler = scheduler;
        this.memory = memory;
    }

    /**
     * Performs the invocation of process-table entry {@code e}, whose activity {@code a} is
     * the running one. Returns {@link #RESUME}, {@link #LEFT}, {@link #FAULT}, {@link #STOP}
     * or {@link #UNSUPPORTED}.
     */
    int invoke(int e, int a) {
        machine.charge(CostModel.INVOCATION_DECODE);
        // ---------------------------------------------------------------- dry run
        // Invariant until the commit point: no state visible to any process changes.
        int ebp = processes.get(e, EBP_OFFSET);
        if (!decode(ebp)) {
            malformed++;
            faultCode = FaultCode.MALFORMED_SYSCALL;
            faultInfo = ebp;
            return FAULT;
        }
        if (sndLen > 0) {
            if (!memory.read(sndPtr, string, sndLen)) {
                malformed++;
                faultCode = FaultCode.MALFORMED_SYSCALL;
                faultInfo = sndPtr;
                return FAULT;
            }
        }
        int location = KeyLocation.nodeSlot(processes.keyRegistersNode(e), invKey);
        int type = invKey == 0 ? KeyType.VOID : KeyDescriptor.type(keys.tailAt(location));
        if (KeyType.isObjectKey(type)) {
            machine.charge(CostModel.KEY_PREPARE);
            int handle = keys.prepare(location);
            if (handle == Keys.NO_RESOURCES) {
                // A full implementation stalls here on the object cache; every pool is
                // pinned solid only under pathological sizes, so this slice reports it.
                unsupportedType = type;
                unsupportedOrder = -1;
                return UNSUPPORTED;
            }
            // A stale key became void in place: revocation (kernel.md §2).
            type = KeyDescriptor.type(keys.tailAt(location));
        }
        boolean prompt = invType == InvocationType.PCALL || invType == InvocationType.PRETURN
            || invType == InvocationType.PSEND;
        if (prompt && type != KeyType.RESUME) {
            type = KeyType.VOID; // kernel.md §4: a prompt invocation of a non-resume key is void
        }
        if (invType == InvocationType.QPOST) {
            unsupportedType = -1;
            unsupportedOrder = machineWord0(e);
            return UNSUPPORTED;
        }
        if (type == KeyType.START || type == KeyType.RESUME) {
            int outcome = gate(e, a, type, location);
            if (outcome != AS_VOID) {
                return outcome;
            }
            type = KeyType.VOID;
        }
        int order = processes.get(e, EAX_OFFSET);
        if (sndKeys >>> 24 != 0 && KeyDescriptor.type(keys.tailAt(
            KeyLocation.nodeSlot(processes.keyRegistersNode(e), sndKeys >>> 24))) == KeyType.RESUME
            && (invType == InvocationType.RETURN)) {
            // RETURN on a kernel key answers through the resume key sent as the 4th key:
            // resume keys are not implemented in this slice.
            unsupportedType = KeyType.RESUME;
            unsupportedOrder = order;
            return UNSUPPORTED;
        }
        if (!answerable(type, order, location)) {
            unsupportedType = type;
            unsupportedOrder = order;
            return UNSUPPORTED;
        }
        if (type == KeyType.DISCRIM && !prepareSent(e, 0) | !prepareSent(e, 1)) {
            // As for the invoked key: a full implementation stalls on the object cache here.
            unsupportedType = type;
            unsupportedOrder = order;
            return UNSUPPORTED;
        }
        // ---------------------------------------------------------------- commit point
        // Everything needed is validated; from here on nothing stalls or faults.
        scheduler.committed(a);
        byInvocationType[invType]++;
        byKeyType[type]++;
        // ---------------------------------------------------------------- effect
        boolean stop = act(e, type, order);
        processes.set(e, EIP_OFFSET, processes.get(e, EIP_OFFSET) + TRAP_LENGTH);
        int outcome = stop ? STOP : RESUME;
        switch (invType) {
            case InvocationType.CALL:
            case InvocationType.PCALL:
                // A CALL on a kernel key returns to the caller directly: no resume key.
                deliver(e);
                break;
            case InvocationType.RETURN:
            case InvocationType.PRETURN:
                // The answer would go to a resume key sent as 4th key; there is none, so it
                // is dropped and the invoker waits for callers as AVAILABLE with the
                // receive fields of this descriptor.
                processes.set(e, RCV_KEYS_OFFSET, rcvKeys);
                processes.set(e, RCV_PTR_OFFSET, rcvPtr);
                processes.set(e, RCV_LIMIT_OFFSET, rcvLimit);
                machine.settle(a);
                scheduler.exit(a, ProcessLayout.AVAILABLE);
                if (!stop) {
                    outcome = LEFT;
                }
                break;
            default:
                // SEND / PSEND: the invoker goes on; the kernel key's answer is dropped.
                break;
        }
        if (KeyDescriptor.type(keys.tailAt(ANSWER_KEY)) != KeyType.VOID) {
            keys.storeVoid(ANSWER_KEY); // delivered or dropped: the scratch register is void again
        }
        return outcome;
    }

    /** {@link #gate}: the gate's target is not in a state its key promises; answer as a void key. */
    private static final int AS_VOID = -1;
    /** {@link #unsupportedType} when the gate's target process cannot be loaded. */
    static final int TARGET_UNLOADABLE = -2;
    /** {@link #unsupportedType} when a SEND finds no free activity for its target. */
    static final int NO_ACTIVITY = -3;

    /**
     * Invocation of a gate key (kernel.md §4): a START key to an AVAILABLE process, or a
     * RESUME key to a WAITING one. The invoked key at {@code location} is prepared (its
     * handle is the target's root node).
     *
     * <p>Dry run: load the target; a start key to a process that is not AVAILABLE stalls the
     * invoker on the target's stall queue (nothing has changed; it retries the trap when
     * woken); validate the receiver's string buffer. Commit. Effect: keys (a fresh resume key
     * to the invoker as the 4th on CALL), words, the string up to the receiver's limit and
     * keyInfo go to the target, which becomes RUNNING; a resume key is consumed (every copy
     * voided); the invoker becomes WAITING (CALL), AVAILABLE (RETURN) or goes on (SEND).
     */
    private int gate(int e, int a, int type, int location) {
        machine.charge(CostModel.GATE_CHECK);
        int root = keys.word2At(location);
        int t = loadedTarget(root);
        if (t == ProcessTable.NONE) {
            long oid = processes.cache().nodes().oid(root);
            t = scheduler.load(oid);
            if (t < 0) {
                unsupportedType = TARGET_UNLOADABLE;
                unsupportedOrder = (int) oid;
                return UNSUPPORTED;
            }
            targets[root & TARGET_MASK] = t;
        }
        int state = processes.runState(t);
        if (type == KeyType.START && state != ProcessLayout.AVAILABLE) {
            // Invariant: nothing has changed; the invoker's EIP is at the trap.
            machine.charge(CostModel.STALL_ENQUEUE);
            machine.settle(a);
            scheduler.stall(a, QueueId.process(t), machine.retryCycles());
            stalls++;
            return LEFT;
        }
        if (type == KeyType.RESUME && (state != ProcessLayout.WAITING || processes.faultCode(t) != 0
            || processes.cache().nodes().callCount(root) == -1)) {
            return AS_VOID; // cannot happen for a current resume key; a halted target is not resumed
        }
        boolean call = invType == InvocationType.CALL || invType == InvocationType.PCALL;
        boolean send = invType == InvocationType.SEND || invType == InvocationType.PSEND;
        if (send && scheduler.activities().inUse() == scheduler.activities().capacity()) {
            unsupportedType = NO_ACTIVITY;
            return UNSUPPORTED;
        }
        int delivered = Math.min(sndLen, processes.get(t, RCV_LIMIT_OFFSET));
        if (delivered > 0) {
            memory.bind(KeyLocation.nodeSlot(processes.rootNode(t), ProcessLayout.SLOT_ADDRESS_SPACE));
            memory.reloadCr3();
            delivered = memory.writablePrefix(processes.get(t, RCV_PTR_OFFSET), delivered);
        }
        int keyInfo = type == KeyType.START ? KeyDescriptor.keyData(keys.tailAt(location)) : 0;
        // ---------------------------------------------------------------- commit point
        scheduler.committed(a);
        byInvocationType[invType]++;
        byKeyType[type]++;
        // ---------------------------------------------------------------- effect
        // In three methods that each compile whole: as one method, gate's inlined code went
        // past the JIT's inlining budget (DesiredMethodLimit), which left its last two dozen
        // process-table accesses and the scheduler calls as out-of-line calls.
        if (delivered > 0) {
            // The receiver's space is still bound (nothing since the dry run faults objects in).
            machine.chargeString(delivered);
            memory.write(processes.get(t, RCV_PTR_OFFSET), string, delivered);
        }
        transferKeys(e, t, call);
        if (type == KeyType.RESUME) {
            machine.charge(CostModel.RESUME_CONSUME);
            keys.consumeResumeKeys(root); // checked above: the call count can grow
        }
        transferWords(e, t, delivered, keyInfo);
        return switchRunStates(e, a, t, call, send);
    }

    /**
     * Effect of a gate invocation: the keys the target's saved receive descriptor asks for —
     * the invoker's sent keys, and on CALL a fresh resume key to the invoker as the 4th.
     */
    private void transferKeys(int e, int t, boolean call) {
        int rcv = processes.get(t, RCV_KEYS_OFFSET);
        int from = processes.keyRegistersNode(e);
        int to = processes.keyRegistersNode(t);
        for (int i = 0; i < 4; i++) {
            int dst = (rcv >>> (8 * i)) & 0xFF;
            if (dst == 0) {
                continue; // register 0 discards
            }
            int dstLocation = KeyLocation.nodeSlot(to, dst);
            if (i == 3 && call) {
                machine.charge(CostModel.RESUME_FABRICATE);
                // Fabricated prepared, at the tail of the invoker's root ring: the root is in
                // memory and pinned (the invoker's entry is in use), and a prepared resume key
                // is the same capability as an unprepared one with the current call count
                // (consumption voids the ring's resume keys, then bumps the count). The RETURN
                // through it then finds it prepared instead of looking its OID up.
                keys.store(dstLocation, PREPARED_RESUME_TAIL, 0L, processes.rootNode(e), SlotWriteListener.CAUSE_WRITE);
                continue;
            }
            machine.charge(CostModel.KEY_COPY);
            int src = (sndKeys >>> (8 * i)) & 0xFF;
            if (src == 0) {
                keys.storeVoid(dstLocation);
            } else {
                keys.copy(KeyLocation.nodeSlot(from, src), dstLocation, 0);
            }
        }
    }

    /** Effect of a gate invocation: the four words, the string length and keyInfo to the target; the invoker's EIP past the trap. */
    private void transferWords(int e, int t, int delivered, int keyInfo) {
        machine.charge(CostModel.WORD_COPY);
        processes.set(t, EAX_OFFSET, processes.get(e, EAX_OFFSET));
        processes.set(t, EBX_OFFSET, processes.get(e, EBX_OFFSET));
        processes.set(t, ECX_OFFSET, processes.get(e, ECX_OFFSET));
        processes.set(t, EDX_OFFSET, processes.get(e, EDX_OFFSET));
        processes.set(t, ESI_OFFSET, delivered);
        processes.set(t, EDI_OFFSET, keyInfo);
        processes.set(e, EIP_OFFSET, processes.get(e, EIP_OFFSET) + TRAP_LENGTH);
    }

    /**
     * Effect of a gate invocation: the invoker becomes WAITING (CALL, with the receive fields
     * of this descriptor saved), AVAILABLE (RETURN) or goes on (SEND); the target gets an
     * activity and becomes RUNNING. Returns the invoker's outcome.
     */
    private int switchRunStates(int e, int a, int t, boolean call, boolean send) {
        int outcome = RESUME;
        if (!send) {
            processes.set(e, RCV_KEYS_OFFSET, rcvKeys);
            processes.set(e, RCV_PTR_OFFSET, rcvPtr);
            processes.set(e, RCV_LIMIT_OFFSET, rcvLimit);
            machine.settle(a);
            scheduler.exit(a, call ? ProcessLayout.WAITING : ProcessLayout.AVAILABLE);
            outcome = LEFT;
        }
        // Invariant: the target was AVAILABLE or WAITING, so it has no activity; one is free
        // (the invoker's was just freed, or a SEND checked above).
        scheduler.start(t);
        gateInvocations++;
        return outcome;
    }

    /** A fresh resume key's tail: prepared, no restrictions, keyData 0 (not a fault resume key). */
    private static final int PREPARED_RESUME_TAIL = KeyDescriptor.tail(KeyType.RESUME, KeyDescriptor.FLAG_PREPARED, 0, 0);

    /**
     * Gate targets by root node index, direct-mapped ({@link #loadedTarget}): a gate call
     * otherwise finds its target's entry by a hash lookup of the root's OID.
     */
    private static final int TARGET_MASK = 63;
    private final int[] targets = newTargets();

    private static int[] newTargets() {
        int[] t = new int[TARGET_MASK + 1];
        java.util.Arrays.fill(t, ProcessTable.NONE);
        return t;
    }

    /**
     * The process-table entry of the loaded process whose root is node {@code root}, or
     * {@link ProcessTable#NONE} if it is not loaded. A remembered entry is right iff it is in
     * use with that root: an entry pins its root, and a node index holds one object at a
     * time, so no other process can have it. Otherwise the OID map decides.
     */
    private int loadedTarget(int root) {
        int t = targets[root & TARGET_MASK];
        if (t != ProcessTable.NONE && processes.isInUse(t) && processes.rootNode(t) == root) {
            return t;
        }
        t = processes.find(processes.cache().nodes().oid(root));
        if (t != ProcessTable.NONE) {
            targets[root & TARGET_MASK] = t;
        }
        return t;
    }

    private int machineWord0(int e) {
        return processes.get(e, EAX_OFFSET);
    }

    /**
     * Reads and validates the descriptor at {@code ebp}; false if it is unreadable or a
     * field is out of range (abi.md §1).
     */
    private boolean decode(int ebp) {
        if (!memory.read(ebp, descriptor, InvocationDescriptor.LENGTH)) {
            return false;
        }
        invType = u8(InvocationDescriptor.INV_TYPE);
        invKey = u8(InvocationDescriptor.INV_KEY);
        int gateKey = u8(InvocationDescriptor.GATE_KEY);
        sndKeys = i32(InvocationDescriptor.SND_KEYS);
        sndPtr = i32(InvocationDescriptor.SND_PTR);
        sndLen = i32(InvocationDescriptor.SND_LEN);
        rcvKeys = i32(InvocationDescriptor.RCV_KEYS);
        rcvPtr = i32(InvocationDescriptor.RCV_PTR);
        rcvLimit = i32(InvocationDescriptor.RCV_LIMIT);
        return InvocationType.isValid(invType)
            && invKey < ProcessLayout.KEY_REGISTERS
            && gateKey < ProcessLayout.KEY_REGISTERS
            && (invType == InvocationType.QPOST || gateKey == 0)
            && u8(InvocationDescriptor.RESERVED0) == 0
            && i32(InvocationDescriptor.RESERVED1) == 0
            && registerBytesValid(sndKeys) && registerBytesValid(rcvKeys)
            && Integer.compareUnsigned(sndLen, Limits.MAX_STRING) <= 0
            && Integer.compareUnsigned(rcvLimit, Limits.MAX_STRING) <= 0;
    }

    /** Each of the four bytes names a key register 0..31 (0x80 bits and above are out of range). */
    private static boolean registerBytesValid(int packed) {
        return (packed & 0xE0E0E0E0) == 0;
    }

    private int u8(int offset) {
        return descriptor[offset] & 0xFF;
    }

    private int i32(int offset) {
        return (descriptor[offset] & 0xFF) | (descriptor[offset + 1] & 0xFF) << 8
            | (descriptor[offset + 2] & 0xFF) << 16 | (descriptor[offset + 3] & 0xFF) << 24;
    }

    /**
     * Whether this slice implements {@code order} on a key of {@code type} at {@code location}
     * (prepared if it is an object key) (else UNSUPPORTED).
     */
    private boolean answerable(int type, int order, int location) {
        switch (type) {
            case KeyType.VOID:
            case KeyType.NUMBER:
            case KeyType.CONSOLE:
            case KeyType.NODE:
            case KeyType.DISCRIM:
                return true;
            case KeyType.SEGMENT:
                // A segment key to a kept red segment is redirected to its keeper (not yet).
                return !keptRedSegment(keys.word2At(location));
            case KeyType.PAGE:
                return order != OrderCode.PAGE_ZERO && order != OrderCode.PAGE_CLONE;
            case KeyType.RANGE:
                return order == OrderCode.GET_TYPE || order == OrderCode.RANGE_MAKE_NUMBER
                    || order < OrderCode.RANGE_NEW_NODE || order > OrderCode.RANGE_MAKE_NUMBER;
            case KeyType.SYSTRACE:
                return order != OrderCode.SYSTRACE_READ_COUNTERS && order != OrderCode.SYSTRACE_RESET_COUNTERS;
            default:
                return order == OrderCode.GET_TYPE;
        }
    }

    /** Whether node {@code node} is a red segment whose format names a keeper. */
    private boolean keptRedSegment(int node) {
        int format = KeyLocation.nodeSlot(node, RedSegmentFormat.FORMAT_SLOT);
        if (KeyDescriptor.type(keys.tailAt(format)) != KeyType.NUMBER) {
            return false;
        }
        int word = (int) keys.oidAt(format);
        return RedSegmentFormat.isWellFormed(word) && RedSegmentFormat.keeperSlot(word) != RedSegmentFormat.NONE;
    }

    /**
     * Dry run: prepares sent key {@code i} if it is an object key (a stale one becomes void in
     * place). False if its object cannot be brought in now.
     */
    private boolean prepareSent(int e, int i) {
        int reg = (sndKeys >>> (8 * i)) & 0xFF;
        if (reg == 0) {
            return true;
        }
        int location = KeyLocation.nodeSlot(processes.keyRegistersNode(e), reg);
        if (!KeyType.isObjectKey(KeyDescriptor.type(keys.tailAt(location)))) {
            return true;
        }
        machine.charge(CostModel.KEY_PREPARE);
        return keys.prepare(location) != Keys.NO_RESOURCES;
    }

    /**
     * The kernel key's action and answer (r0..r3). One case per key type. Returns true for
     * STOP_RUN.
     */
    private boolean act(int e, int type, int order) {
        machine.charge(CostModel.KERNEL_KEY_INVOKE);
        r1 = 0;
        r2 = 0;
        r3 = 0;
        if (type == KeyType.VOID) {
            r0 = ResultCode.VOID; // void answers every order, GET_TYPE included, with VOID
            return false;
        }
        if (order == OrderCode.GET_TYPE) {
            r0 = ResultCode.OK;
            r1 = type;
            return false;
        }
        r0 = ResultCode.UNKNOWN_REQUEST;
        switch (type) {
            case KeyType.NUMBER:
                if (order == OrderCode.NUMBER_GET) {
                    int location = KeyLocation.nodeSlot(processes.keyRegistersNode(e), invKey);
                    long low = keys.oidAt(location);
                    r0 = ResultCode.OK;
                    r1 = (int) low;
                    r2 = (int) (low >>> 32);
                    r3 = keys.word2At(location);
                }
                return false;
            case KeyType.CONSOLE:
                if (order == OrderCode.CONSOLE_WRITE) {
                    machine.chargeString(sndLen);
                    machine.console(string, sndLen);
                    r0 = ResultCode.OK;
                }
                return false;
            case KeyType.SYSTRACE:
                if (order == OrderCode.SYSTRACE_MARK) {
                    int i = (int) (marks % MARK_CAPACITY);
                    markTags[i] = processes.get(e, EBX_OFFSET);
                    markCycles[i] = machine.cycles();
                    marks++;
                    r0 = ResultCode.OK;
                } else if (order == OrderCode.SYSTRACE_STOP_RUN) {
                    stopStatus = processes.get(e, EBX_OFFSET);
                    r0 = ResultCode.OK;
                    return true;
                }
                return false;
            case KeyType.NODE:
                r0 = node(e, order);
                return false;
            case KeyType.SEGMENT:
            case KeyType.PAGE:
                if (order == OrderCode.REDUCE) {
                    r0 = reduce(e);
                }
                return false;
            case KeyType.DISCRIM:
                r0 = discrim(e, order);
                return false;
            case KeyType.RANGE:
                if (order == OrderCode.RANGE_MAKE_NUMBER) {
                    keys.storeNumber(ANSWER_KEY, processes.get(e, EBX_OFFSET), processes.get(e, ECX_OFFSET),
                        processes.get(e, EDX_OFFSET));
                    r0 = ResultCode.OK;
                }
                return false;
            default:
                return false;
        }
    }

    /** Scratch register holding key 0 of the answer until {@link #deliver} (void otherwise). */
    private static final int ANSWER_KEY = KeyLocation.scratch(1);
    /** Scratch register standing for register 0 (void) as a sent key; always void. */
    private static final int VOID_KEY = KeyLocation.scratch(2);

    /** The location of sent key {@code i} (register 0: a void key). */
    private int sentKey(int e, int i) {
        int reg = (sndKeys >>> (8 * i)) & 0xFF;
        return reg == 0 ? VOID_KEY : KeyLocation.nodeSlot(processes.keyRegistersNode(e), reg);
    }

    /**
     * NODE orders (abi.md §4) through the invoked node key, prepared in the dry run. Every
     * slot write goes through {@link Keys#store}, the one write path (its listener does the
     * invalidation of kernel.md §7 for slot 31 and keeper slots).
     */
    private int node(int e, int order) {
        int nodeKey = KeyLocation.nodeSlot(processes.keyRegistersNode(e), invKey);
        int nodeTail = keys.tailAt(nodeKey);
        int slot = processes.get(e, EBX_OFFSET);
        boolean readOnly = (KeyDescriptor.restrictions(nodeTail) & Restriction.READ_ONLY) != 0;
        switch (order) {
            case OrderCode.NODE_COPY_SLOT:
                return keys.fetchSlot(nodeKey, slot, ANSWER_KEY);
            case OrderCode.NODE_SWAP_SLOT:
                return keys.swapSlot(nodeKey, slot, sentKey(e, 0), ANSWER_KEY);
            case OrderCode.NODE_WRITE_NUMBER:
                if (readOnly) {
                    return ResultCode.NO_ACCESS;
                }
                if (slot < 0 || slot >= NodeDescriptor.SLOT_COUNT || sndLen < 4) {
                    return ResultCode.REQUEST_ERROR; // the value's word 2 is string[0..3]
                }
                int word2 = (string[0] & 0xFF) | (string[1] & 0xFF) << 8 | (string[2] & 0xFF) << 16
                    | (string[3] & 0xFF) << 24;
                keys.storeNumber(ANSWER_KEY, processes.get(e, ECX_OFFSET), processes.get(e, EDX_OFFSET), word2);
                int rc = keys.storeSlot(nodeKey, slot, ANSWER_KEY);
                keys.storeVoid(ANSWER_KEY);
                return rc;
            case OrderCode.NODE_CLEAR:
                if (readOnly) {
                    return ResultCode.NO_ACCESS;
                }
                int node = keys.word2At(nodeKey);
                for (int i = 0; i < NodeDescriptor.SLOT_COUNT; i++) {
                    int s = KeyLocation.nodeSlot(node, i);
                    if (KeyDescriptor.type(keys.tailAt(s)) != KeyType.VOID) {
                        keys.storeVoid(s);
                    }
                }
                return ResultCode.OK;
            case OrderCode.NODE_MAKE_SEGMENT_KEY:
                if (slot < 1 || slot > Limits.MAX_HEIGHT) {
                    return ResultCode.REQUEST_ERROR;
                }
                // The node key's restrictions carry over (they only accumulate); keyData = height.
                // The invoked key is prepared, so is the new one (it joins the node's ring).
                int hazards = (KeyDescriptor.FLAG_READ_HAZARD | KeyDescriptor.FLAG_WRITE_HAZARD) << 8;
                keys.store(ANSWER_KEY, KeyDescriptor.withKeyData((nodeTail & ~0xFF & ~hazards) | KeyType.SEGMENT, slot),
                    0L, keys.word2At(nodeKey), SlotWriteListener.CAUSE_WRITE);
                return ResultCode.OK;
            case OrderCode.REDUCE:
                return reduce(e);
            default:
                return ResultCode.UNKNOWN_REQUEST;
        }
    }

    /** REDUCE (node, segment, page keys): key 0 = the invoked key with w1's restriction bits ORed in. */
    private int reduce(int e) {
        int bits = processes.get(e, EBX_OFFSET);
        if ((bits & ~Restriction.ALL) != 0) {
            return ResultCode.REQUEST_ERROR;
        }
        keys.copy(KeyLocation.nodeSlot(processes.keyRegistersNode(e), invKey), ANSWER_KEY, bits);
        return ResultCode.OK;
    }

    /** Discrim classes of CLASSIFY (abi.md §4). */
    private static final int CLASS_VOID = 0;
    private static final int CLASS_NUMBER = 1;
    private static final int CLASS_RESUME = 2;
    private static final int CLASS_MEMORY = 3;
    private static final int CLASS_OTHER = 4;

    /** DISCRIM CLASSIFY and COMPARE; the sent keys were prepared in the dry run. */
    private int discrim(int e, int order) {
        int k0 = sentKey(e, 0);
        int t0 = keys.tailAt(k0);
        switch (order) {
            case OrderCode.DISCRIM_CLASSIFY:
                switch (KeyDescriptor.type(t0)) {
                    case KeyType.VOID:
                        r1 = CLASS_VOID;
                        break;
                    case KeyType.NUMBER:
                        r1 = CLASS_NUMBER;
                        break;
                    case KeyType.RESUME:
                        r1 = CLASS_RESUME;
                        break;
                    case KeyType.SEGMENT:
                    case KeyType.PAGE:
                    case KeyType.NODE:
                        r1 = CLASS_MEMORY;
                        break;
                    default:
                        r1 = CLASS_OTHER;
                        break;
                }
                return ResultCode.OK;
            case OrderCode.DISCRIM_COMPARE:
                r1 = sameCapability(k0, sentKey(e, 1)) ? 1 : 0;
                return ResultCode.OK;
            default:
                return ResultCode.UNKNOWN_REQUEST;
        }
    }

    /**
     * Same type, restrictions and keyData (flags aside) and the same object: the same handle
     * for prepared object keys (both are prepared or void after the dry run), the same
     * 96 bits for number keys; kernel and void keys have no body.
     */
    private boolean sameCapability(int a, int b) {
        int flags = 7 << 8;
        int ta = keys.tailAt(a);
        int tb = keys.tailAt(b);
        if ((ta & ~flags) != (tb & ~flags)) {
            return false;
        }
        int type = KeyDescriptor.type(ta);
        if (type == KeyType.NUMBER) {
            return keys.oidAt(a) == keys.oidAt(b) && keys.word2At(a) == keys.word2At(b);
        }
        if (KeyType.isObjectKey(type)) {
            return KeyDescriptor.isPrepared(ta) && KeyDescriptor.isPrepared(tb) && keys.word2At(a) == keys.word2At(b);
        }
        return true;
    }

    /**
     * Delivers the answer to the invoker as a reply (abi.md §1): words in EAX..EDX, no string
     * (ESI = 0), keyInfo 0 (EDI), and void keys in the key registers its receive descriptor
     * names: key 0 is the answer key the order produced (void if none), keys 1..3 void;
     * register 0 discards.
     */
    private void deliver(int e) {
        machine.charge(CostModel.WORD_COPY);
        processes.set(e, EAX_OFFSET, r0);
        processes.set(e, EBX_OFFSET, r1);
        processes.set(e, ECX_OFFSET, r2);
        processes.set(e, EDX_OFFSET, r3);
        processes.set(e, ESI_OFFSET, 0);
        processes.set(e, EDI_OFFSET, 0);
        int keyRegs = processes.keyRegistersNode(e);
        for (int i = 0; i < 4; i++) {
            int reg = (rcvKeys >>> (8 * i)) & 0xFF;
            if (reg != 0) {
                if (i == 0) {
                    machine.charge(CostModel.KEY_COPY);
                    keys.copy(ANSWER_KEY, KeyLocation.nodeSlot(keyRegs, reg), 0);
                } else {
                    keys.storeVoid(KeyLocation.nodeSlot(keyRegs, reg));
                }
            }
        }
    }
}
