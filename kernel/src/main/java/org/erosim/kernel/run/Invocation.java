package org.erosim.kernel.run;

import static org.erosim.kernel.process.ProcessDescriptor.*;

import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.InvocationType;
import org.erosim.kernel.abi.KernelCounters;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Limits;
import org.erosim.kernel.abi.OrderCode;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.abi.RegisterFile;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.cost.CostModel;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.NodeDescriptor;
import org.erosim.kernel.object.SlotWriteListener;
import org.erosim.kernel.process.ProcessTable;
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
 *   descriptor is the process fault MALFORMED_SYSCALL. Then the order's own dry run: the
 *   keys it reads are prepared and every object it will touch is brought in and
 *   <em>pinned</em> until the invocation ends (so no later fault-in of the dry run can evict
 *   it); the receiver of the answer is found (RETURN: the process a resume key sent as 4th
 *   key names, loaded) and its receive buffer checked for a string answer; last, objects a
 *   RANGE order creates are made — nobody can reach them before the answer is delivered.
 *   An object that cannot be brought in would stall (a full object cache is reported
 *   instead, see {@link #UNSUPPORTED}). Nothing the guest or another process can observe
 *   changes before the commit point; preparing a key only changes its representation.</li>
 *   <li><b>Commit.</b> {@link Scheduler#committed}; from here on nothing stalls.</li>
 *   <li><b>Effect.</b> EIP moves past the trap, the kernel key acts, the answer is
 *   delivered to the invoker (CALL) or through the resume key sent as 4th key (RETURN;
 *   dropped when there is none, and on SEND), and run states change (RETURN: AVAILABLE;
 *   SLEEP_FOR: the answer's receiver sleeps).</li>
 * </ul>
 *
 * <p><b>Implemented</b>: every kernel key and order code of abi.md §4 — GET_TYPE on every
 * key; VOID (answers VOID); NUMBER GET; NODE COPY_SLOT, SWAP_SLOT, WRITE_NUMBER, CLEAR,
 * MAKE_SEGMENT_KEY, REDUCE; SEGMENT REDUCE; PAGE ZERO, CLONE ({@link PageKeyOrders}),
 * REDUCE; PROCESS COPY_SLOT, SWAP_SLOT, COPY_KEYREG, SWAP_KEYREG, MAKE_START_KEY,
 * MAKE_RESUME_KEY, GET_REGS, SET_REGS, GET_STATE ({@link ProcessKeyOrders}); RANGE NEW_NODE,
 * NEW_PAGE, NEW_PROCESS, RESCIND, MAKE_NUMBER ({@link RangeKeyOrders}); DISCRIM CLASSIFY,
 * COMPARE; SLEEP SLEEP_FOR; CONSOLE WRITE; SYSTRACE MARK, READ_COUNTERS, RESET_COUNTERS
 * ({@link SystraceCounters}), STOP_RUN; CHECKPOINT TAKE ({@link CheckpointKeyOrders}); SCHED
 * has GET_TYPE only. Orders a key does not have answer UNKNOWN_REQUEST, a restriction that
 * forbids the order NO_ACCESS, bad arguments REQUEST_ERROR, an exhausted pool NO_RESOURCES.
 * Invocation types CALL, SEND, RETURN and their prompt variants; start and resume keys are
 * {@link #gate gates}. A key an order produces is built in scratch register
 * {@link #ANSWER_KEY} and goes to the receiver's first receive register; a string answer
 * goes to its receive buffer, truncated to its limit, with the length in ESI.
 *
 * <p><b>SLEEP_FOR</b> (w1:w2 = unsigned 64-bit duration in emulated cycles): whoever receives
 * the answer sleeps — on CALL the invoker, on RETURN through a resume key that key's
 * process — until the cycle counter has advanced by the duration; the answer (OK) is in its
 * registers when it wakes. On SEND, or RETURN without a resume key, nobody sleeps. Duration 0
 * yields the processor; an overflowing wake cycle sleeps for ever.
 *
 * <p><b>Not implemented</b> ({@link #UNSUPPORTED}: the dispatcher halts the invoker with a
 * report naming what is missing, rather than giving a wrong answer): stalling for room when
 * an object cannot be brought in because the whole cache is pinned (docs/run.md, "Not done
 * yet"), and a gate target that cannot be loaded for the same reason.
 *
 * <p>Allocation-free: the descriptor is decoded into int fields, the string into one
 * preallocated 64 KiB buffer, string answers into a 256-byte one.
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
    private final QueuedPost posts;
    private final byte[] descriptor = new byte[InvocationDescriptor.LENGTH];
    private final byte[] string = new byte[Limits.MAX_STRING];

    // The decoded descriptor of the invocation in progress.
    private int invType;
    private int invKey;
    private int gateReg;
    private int sndKeys;
    private int sndPtr;
    private int sndLen;
    private int rcvKeys;
    private int rcvPtr;
    private int rcvLimit;

    // The answer of the invoked kernel key (delivered to its receiver, dropped when there is none).
    private int r0;
    int r1;
    int r2;
    int r3;
    /** A string answer (GET_REGS, READ_COUNTERS): {@link #answerLength} bytes. */
    final byte[] answer = new byte[ANSWER_CAPACITY];
    int answerLength;
    static final int ANSWER_CAPACITY = 256;
    /** Who receives the answer: the invoker (CALL), a resume key's process (RETURN), or NONE. */
    private int answerEntry;
    /** The resume key the answer goes through (RETURN), else {@link KeyLocation#NONE}. */
    private int answerResume;
    /** SLEEP_FOR: the cycle at which the answer's receiver wakes, else {@link #NO_SLEEP}. */
    private long wakeAt;

    // The bigger kernel keys' orders.
    private final ProcessKeyOrders processOrders;
    private final RangeKeyOrders rangeOrders;
    private final PageKeyOrders pageOrders;
    private final SystraceCounters counters;
    private final CheckpointKeyOrders checkpoint;

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
    /** Invocations of kept red segment keys redirected to the keeper (kernel.md §8). */
    long redirections;
    /** Fault resume keys invoked (restarts and declines). */
    long faultRestarts;
    /** SENDs refused for a full activity or process table (answered NO_RESOURCES). */
    long sendsRefused;
    long marks;
    /** Trace marks: tag and cycle, the last {@link #MARK_CAPACITY} kept. */
    static final int MARK_CAPACITY = 1024;
    final int[] markTags = new int[MARK_CAPACITY];
    final long[] markCycles = new long[MARK_CAPACITY];

    Invocation(KernelMachine machine, ProcessTable processes, Scheduler scheduler, UserMemory memory,
        QueuedPost posts) {
        this.posts = posts;
        this.machine = machine;
        this.processes = processes;
        this.keys = processes.cache().keys();
        this.scheduler = scheduler;
        this.memory = memory;
        this.processOrders = new ProcessKeyOrders(this, machine, processes, scheduler);
        this.rangeOrders = new RangeKeyOrders(this, machine, processes, scheduler);
        this.pageOrders = new PageKeyOrders(this, machine, processes.cache());
        this.checkpoint = new CheckpointKeyOrders(machine, processes, scheduler.activities());
        this.counters = new SystraceCounters(machine, this, scheduler, checkpoint);
    }

    /**
     * Performs the invocation of process-table entry {@code e}, whose activity {@code a} is
     * the running one. Returns {@link #RESUME}, {@link #LEFT}, {@link #FAULT}, {@link #STOP}
     * or {@link #UNSUPPORTED}.
     */
    int invoke(int e, int a) {
        machine.charge(CostModel.INVOCATION_DECODE);
        entryKeyType = -1; // until the descriptor is decoded
        invType = -1;
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
        entryKeyType = type;
        if (KeyType.isObjectKey(type)) {
            machine.charge(CostModel.KEY_PREPARE);
            int handle = keys.prepare(location);
            if (handle == Keys.NO_RESOURCES) {
                // A full implementation stalls here on the object cache; every pool is
                // pinned solid only under pathological sizes, so this slice reports it.
                unsupportedType = OBJECT_CACHE_FULL;
                unsupportedOrder = type;
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
            return qpost(e, a, location, type);
        }
        gateRefusal = ResultCode.VOID;
        redirectedFrom = NodeDescriptor.NONE;
        if (type == KeyType.SEGMENT && (KeyDescriptor.restrictions(keys.tailAt(location)) & Restriction.NO_CALL) == 0) {
            // kernel.md §8: a kept red segment key is a gate to its keeper.
            int keeper = keeperKeyOf(keys.word2At(location));
            if (keeper != KeyLocation.NONE) {
                machine.charge(CostModel.KEY_PREPARE);
                if (keys.prepare(keeper) == Keys.NO_RESOURCES) {
                    unsupportedType = OBJECT_CACHE_FULL;
                    unsupportedOrder = KeyType.START;
                    return UNSUPPORTED; // as for the invoked key: the object cache is pinned solid
                }
                if (KeyDescriptor.type(keys.tailAt(keeper)) == KeyType.START) {
                    redirectedFrom = keys.word2At(location);
                    redirections++;
                    type = KeyType.START;
                    location = keeper; // exactly as if the invoker had invoked the keeper's start key
                }
            }
        }
        if (type == KeyType.START || type == KeyType.RESUME) {
            redirectPinned = false;
            int outcome = gate(e, a, type, location);
            if (redirectPinned) {
                processes.cache().nodes().unpin(redirectedFrom);
            }
            if (outcome != AS_VOID) {
                return outcome;
            }
            if (gateRefusal == ResultCode.NO_RESOURCES
                && (invType == InvocationType.SEND || invType == InvocationType.PSEND)) {
                return sendRefused(e, a); // a SEND drops answers: say NO_RESOURCES the way a full activity table does
            }
            type = KeyType.VOID;
        }
        int order = processes.get(e, EAX_OFFSET);
        // Every order of every kernel key is implemented; a segment key that reaches here is
        // no gate (not kept, or NO_CALL) and answers its own orders.
        int outcome = kernelKey(e, a, type, order, location);
        unpinAll();
        if (KeyDescriptor.type(keys.tailAt(ANSWER_KEY)) != KeyType.VOID) {
            keys.storeVoid(ANSWER_KEY); // delivered or dropped: the scratch register is void again
        }
        return outcome;
    }

    /** No sleep: {@link #wakeAt}'s value when the order does not put the answer's receiver to sleep. */
    private static final long NO_SLEEP = -1L;

    /**
     * A kernel key (every key a gate did not take, the void key included): the order's dry
     * run, the answer's destination, commit, the order's effect and the delivery of its
     * answer. The invoked key at {@code location} is prepared if it is an object key. The
     * caller unpins what the dry run pinned and voids the answer key.
     */
    private int kernelKey(int e, int a, int type, int order, int location) {
        // ---------------------------------------------------------------- dry run of the order
        // Every object the order will touch is brought in and pinned, so that a later step of
        // the dry run (a fault-in, a page fill for the receive buffer) cannot evict it.
        if (KeyType.isObjectKey(type)) {
            pinObject(type, keys.word2At(location));
        }
        if (!prepareOrder(e, type, order, location)) {
            unsupportedType = OBJECT_CACHE_FULL;
            unsupportedOrder = type;
            return UNSUPPORTED;
        }
        // Where the answer goes: the invoker on CALL; on RETURN the process named by a resume
        // key sent as 4th key, if it is WAITING (kernel.md §4); nowhere otherwise.
        boolean call = invType == InvocationType.CALL || invType == InvocationType.PCALL;
        boolean ret = invType == InvocationType.RETURN || invType == InvocationType.PRETURN;
        answerEntry = NONE;
        answerResume = KeyLocation.NONE;
        if (call) {
            answerEntry = e;
        } else if (ret && !answerTarget(e)) {
            return UNSUPPORTED;
        }
        // Room for a string answer in the receiver's buffer, checked page by page in its space.
        int room = 0;
        int most = stringAnswerLength(type, order);
        if (answerEntry != NONE && most > 0) {
            room = stringRoom(e, answerEntry, most);
        }
        // Last: objects the order creates (nothing after this can fail); none if the answer
        // key would be dropped anyway.
        if (type == KeyType.RANGE) {
            rangeOrders.allocate(order, answerEntry != NONE);
        }
        // ---------------------------------------------------------------- commit point
        // Everything needed is validated and in memory; from here on nothing stalls or faults.
        scheduler.committed(a, e);
        byInvocationType[invType]++;
        byKeyType[type]++;
        // ---------------------------------------------------------------- effect
        // EIP first: during the order the invoker's entry holds what it resumes with (before
        // the answer's words), which is what GET_REGS/SET_REGS on itself see.
        processes.set(e, EIP_OFFSET, processes.get(e, EIP_OFFSET) + TRAP_LENGTH);
        wakeAt = NO_SLEEP;
        answerLength = 0;
        boolean stop = act(e, a, type, order, location);
        if (!processes.isInUse(e) || processes.activity(e) != a) {
            // The order ended the invoker's own activity (RANGE RESCIND of its own process):
            // there is nobody to answer.
            return stop ? STOP : LEFT;
        }
        int outcome = stop ? STOP : RESUME;
        if (call) {
            // A CALL on a kernel key returns to the caller directly: no resume key.
            deliver(e, rcvKeys, rcvPtr, room);
            if (wakeAt != NO_SLEEP) {
                machine.settle(a);
                scheduler.sleep(a, wakeAt); // SLEEP_FOR: the answer is there when it wakes
                if (!stop) {
                    outcome = LEFT;
                }
            }
        } else if (ret) {
            // The invoker waits for callers as AVAILABLE with the receive fields of this
            // descriptor; the answer goes through the resume key sent as 4th key, if any.
            leave(e, a, ProcessLayout.AVAILABLE);
            if (!stop) {
                outcome = LEFT;
            }
            if (answerEntry != NONE) {
                answerThroughResumeKey(answerEntry, answerResume, room);
            }
        }
        // SEND / PSEND: the invoker goes on; the kernel key's answer is dropped.
        return outcome;
    }

    /**
     * Effect: invoker {@code e} leaves RUNNING for {@code runState} (WAITING after a CALL,
     * AVAILABLE after a RETURN) with this descriptor's receive fields saved for the message
     * that will resume it; its activity {@code a} is billed and ends.
     */
    private void leave(int e, int a, int runState) {
        saveReceive(e);
        machine.settleLeaving(e);
        scheduler.exit(a, runState);
    }

    /**
     * {@link #leave}, and the activity goes on in loaded process {@code t} (AVAILABLE or
     * WAITING), which becomes RUNNING: the effect of a CALL or RETURN through a gate
     * ({@link Scheduler#handOff}: the same as ending {@code a} and starting {@code t}).
     */
    private void handOff(int e, int a, int runState, int t) {
        saveReceive(e);
        machine.settleLeaving(e);
        scheduler.handOff(a, runState, t);
    }

    /** This descriptor's receive fields, saved in entry {@code e} for the message that will resume it. */
    private void saveReceive(int e) {
        processes.set(e, RCV_KEYS_OFFSET, rcvKeys);
        processes.set(e, RCV_PTR_OFFSET, rcvPtr);
        processes.set(e, RCV_LIMIT_OFFSET, rcvLimit);
    }

    /** {@link #gate}: the gate's target is not in a state its key promises; answer as a void key. */
    private static final int AS_VOID = -1;

    /** The PROCESS key's orders (the keeper upcall builds its register file with them). */
    ProcessKeyOrders processOrders() {
        return processOrders;
    }

    /** CHECKPOINT TAKE's implementation, which the dispatcher also uses for --checkpoint-every. */
    CheckpointKeyOrders checkpoints() {
        return checkpoint;
    }

    /**
     * What a gate key that is answered {@link #AS_VOID} answers: VOID, or NO_RESOURCES when
     * its target cannot be loaded for lack of room. Reset by every invocation.
     */
    private int gateRefusal;
    /** For the trace: the invoked register's key type when the trap was taken (-1 before decoding). */
    int entryKeyType;

    /** For the trace: the decoded invocation type, or -1 if the descriptor was malformed. */
    int tracedInvType() {
        return invType;
    }
    /**
     * The red segment (node index) whose key was redirected to its keeper in this
     * invocation, or NONE. Its invocation convention (0: key 2 becomes a node key to it) is
     * read where the keys are delivered ({@link #transferKeys}).
     */
    private int redirectedFrom;
    /**
     * Whether {@link #redirectedFrom} is pinned ({@link #pinRedirect}): from the gate's first
     * step that may fault objects in (loading the keeper, filling its receive buffer's page
     * tables) until the invocation ends, so that its handle stays valid for the effect.
     */
    private boolean redirectPinned;

    /**
     * The gate is about to do something that may fault objects in: a red segment it was
     * redirected from is pinned until the invocation ends. A gate that stalls on a loaded
     * keeper (every retry of a keeper storm) never gets here.
     */
    private void pinRedirect() {
        if (redirectedFrom != NodeDescriptor.NONE && !redirectPinned) {
            processes.cache().nodes().pin(redirectedFrom);
            redirectPinned = true;
        }
    }
    /** {@link #unsupportedType} when the gate's target process cannot be loaded. */
    static final int TARGET_UNLOADABLE = -2;
    /**
     * {@link #unsupportedType} when an object a key names cannot be brought in: every record
     * of the object cache is pinned ({@link #unsupportedOrder}: the key's type).
     */
    static final int OBJECT_CACHE_FULL = -4;

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
            pinRedirect();
            t = scheduler.load(oid);
            if (t < 0) {
                // A malformed root is no process: its gate keys answer as void keys. No room
                // in the process table (every entry pinned or running) is pool exhaustion.
                gateRefusal = t == ProcessTable.MALFORMED ? ResultCode.VOID : ResultCode.NO_RESOURCES;
                return AS_VOID;
            }
        }
        int keyData = KeyDescriptor.keyData(keys.tailAt(location));
        if (type == KeyType.RESUME && (keyData & KeyDescriptor.KEYDATA_FAULT) != 0) {
            return restartFaulted(e, a, t, root, (keyData & KeeperUpcall.KEYDATA_SEGMENT) != 0);
        }
        int state = processes.runState(t);
        if (type == KeyType.START && state != ProcessLayout.AVAILABLE) {
            // Invariant: nothing has changed; the invoker's EIP is at the trap.
            machine.stallInvoker(e, a, t);
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
            return sendRefused(e, a);
        }
        int delivered = Math.min(sndLen, processes.get(t, RCV_LIMIT_OFFSET));
        if (delivered > 0) {
            pinRedirect();
            memory.enterSpaceOf(processes.rootNode(t));
            delivered = memory.writablePrefix(processes.get(t, RCV_PTR_OFFSET), delivered);
        }
        int keyInfo = type == KeyType.START ? KeyDescriptor.keyData(keys.tailAt(location)) : 0;
        // ---------------------------------------------------------------- commit point
        scheduler.committed(a, e);
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
        // Read before the first store: the red segment's format key is as the dry run saw it.
        int convention = redirectedFrom == NodeDescriptor.NONE ? -1 : redirectConvention(redirectedFrom);
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
            if (i == 2 && convention == 0) {
                // Convention 0: the keeper learns which red segment it was called through.
                keys.storeObjectKey(dstLocation, KeyType.NODE, processes.cache().nodes().oid(redirectedFrom),
                    processes.cache().nodes().allocationCount(redirectedFrom), 0, 0);
            } else if (src == 0) {
                keys.storeVoid(dstLocation);
            } else {
                keys.copy(KeyLocation.nodeSlot(from, src), dstLocation, 0);
            }
        }
    }

    /** Effect of a gate invocation: the four words, the string length and keyInfo to the target; the invoker's EIP past the trap. */
    private void transferWords(int e, int t, int delivered, int keyInfo) {
        machine.charge(CostModel.WORD_COPY);
        processes.setMessage(t, processes.get(e, EAX_OFFSET), processes.get(e, EBX_OFFSET), processes.get(e, ECX_OFFSET),
            processes.get(e, EDX_OFFSET), delivered, keyInfo);
        processes.set(e, EIP_OFFSET, processes.get(e, EIP_OFFSET) + TRAP_LENGTH);
    }

    /**
     * Effect of a gate invocation: the invoker becomes WAITING (CALL, with the receive fields
     * of this descriptor saved), AVAILABLE (RETURN) or goes on (SEND); the target gets an
     * activity and becomes RUNNING. Returns the invoker's outcome.
     */
    private int switchRunStates(int e, int a, int t, boolean call, boolean send) {
        gateInvocations++;
        // Invariant: the target was AVAILABLE or WAITING, so it has no activity; one is free
        // (the invoker's goes on in the target, or a SEND checked above).
        if (send) {
            scheduler.start(t);
            return RESUME;
        }
        handOff(e, a, call ? ProcessLayout.WAITING : ProcessLayout.AVAILABLE, t);
        return LEFT;
    }

    /**
     * Invocation of a <b>fault resume key</b> to loaded process {@code t} (root node
     * {@code root}), made by a keeper upcall ({@link KeeperUpcall}). It never blocks. The
     * message is not delivered: the faulter's registers are what the keeper left there (with
     * PROCESS SET_REGS, say). Effect: every resume key to {@code t} is consumed; if the
     * invoker's w0 is 0 (OK) the latched fault is cleared and {@code t} runs again from its
     * saved EIP (the faulting instruction re-executes); any other w0 declines the fault: a
     * process keeper's decline leaves {@code t} WAITING, halted, and reported; a segment
     * keeper's ({@code segment}) forwards it: {@code t} gets an activity with the fault still
     * latched, so the dispatcher makes the process-keeper upcall (kernel.md §9). The invoker itself goes on as its
     * invocation type says: RETURN makes it AVAILABLE, SEND continues, and a CALL leaves it
     * WAITING with no resume key given to anyone (the restarted process receives nothing).
     */
    private int restartFaulted(int e, int a, int t, int root, boolean segment) {
        if (processes.runState(t) != ProcessLayout.WAITING || processes.faultCode(t) == FaultCode.NONE
            || processes.cache().nodes().callCount(root) == -1) {
            return AS_VOID; // cannot happen for a current fault key; the prepare checked its call count
        }
        boolean call = invType == InvocationType.CALL || invType == InvocationType.PCALL;
        boolean send = invType == InvocationType.SEND || invType == InvocationType.PSEND;
        if (send && scheduler.activities().inUse() == scheduler.activities().capacity()) {
            return sendRefused(e, a);
        }
        // ---------------------------------------------------------------- commit point
        scheduler.committed(a, e);
        byInvocationType[invType]++;
        byKeyType[KeyType.RESUME]++;
        // ---------------------------------------------------------------- effect
        machine.charge(CostModel.RESUME_CONSUME);
        keys.consumeResumeKeys(root); // checked above: the call count can grow
        int result = processes.get(e, EAX_OFFSET);
        boolean run = result == ResultCode.OK || segment;
        if (result == ResultCode.OK) {
            processes.setFault(t, FaultCode.NONE, 0);
        } else if (!segment) {
            machine.keeperDeclined(t, result);
        }
        processes.set(e, EIP_OFFSET, processes.get(e, EIP_OFFSET) + TRAP_LENGTH);
        faultRestarts++;
        gateInvocations++;
        // Invariant: t was WAITING, so it has no activity; one is free (the invoker's goes on
        // in t, or a SEND checked above).
        int runState = call ? ProcessLayout.WAITING : ProcessLayout.AVAILABLE;
        if (send) {
            if (run) {
                scheduler.start(t);
            }
            return RESUME;
        }
        if (run) {
            handOff(e, a, runState, t);
        } else {
            leave(e, a, runState);
        }
        return LEFT;
    }

    /**
     * A SEND (or PSEND) to a gate whose target would need a new activity with the activity
     * table full, or cannot be loaded for lack of a process-table entry: the pool is
     * exhausted, so the invocation completes with nothing delivered and the invoker continues
     * with w0 = NO_RESOURCES (abi.md §3: "a fixed pool is full").
     * The target is untouched. (A SEND's registers are otherwise meaningless afterwards.)
     */
    private int sendRefused(int e, int a) {
        scheduler.committed(a, e);
        byInvocationType[invType]++;
        sendsRefused++;
        processes.set(e, EAX_OFFSET, ResultCode.NO_RESOURCES);
        processes.set(e, EIP_OFFSET, processes.get(e, EIP_OFFSET) + TRAP_LENGTH);
        return RESUME;
    }

    /**
     * QPOST (kernel.md §11): never stalls. The {@link QueuedPost} dry run decides the result
     * code; after the commit an OK post is queued (and possibly fired at once), and the
     * invoker continues with w0 = that result code.
     */
    private int qpost(int e, int a, int location, int type) {
        int gate = KeyLocation.nodeSlot(processes.keyRegistersNode(e), gateReg);
        int rc = posts.check(gate, location, type, sndLen);
        // ---------------------------------------------------------------- commit point
        scheduler.committed(a, e);
        byInvocationType[invType]++;
        byKeyType[type]++;
        // ---------------------------------------------------------------- effect
        processes.set(e, EIP_OFFSET, processes.get(e, EIP_OFFSET) + TRAP_LENGTH);
        processes.set(e, EAX_OFFSET, rc);
        if (rc == ResultCode.OK) {
            posts.queue(e, gate, location, sentKey(e, 0), sentKey(e, 1), sentKey(e, 2), sentKey(e, 3), string, sndLen);
        }
        return RESUME;
    }

    /** A fresh resume key's tail: prepared, no restrictions, keyData 0 (not a fault resume key). */
    private static final int PREPARED_RESUME_TAIL = KeyDescriptor.tail(KeyType.RESUME, KeyDescriptor.FLAG_PREPARED, 0, 0);

    /**
     * The process-table entry of the loaded process whose root is node {@code root}, or
     * {@link ProcessTable#NONE} if it is not loaded: the root's header says
     * ({@link org.erosim.kernel.object.NodeTable#processEntry}), instead of a hash lookup of
     * its OID.
     */
    private int loadedTarget(int root) {
        return processes.cache().nodes().processEntry(root);
    }

    /**
     * Reads and validates the descriptor at {@code ebp}; false if it is unreadable or a
     * field is out of range (abi.md §1).
     */
    private boolean decode(int ebp) {
        // The usual case: in one RAM page, read in place (no copy); across two pages (or not
        // plain RAM) it is copied out first, and field() reads the copy.
        long host = memory.hostRun(ebp, InvocationDescriptor.LENGTH);
        if (host == UserMemory.UNREADABLE
            || host < 0 && !memory.read(ebp, descriptor, InvocationDescriptor.LENGTH)) {
            return false;
        }
        int head = field(host, InvocationDescriptor.INV_TYPE);
        sndKeys = field(host, InvocationDescriptor.SND_KEYS);
        sndPtr = field(host, InvocationDescriptor.SND_PTR);
        sndLen = field(host, InvocationDescriptor.SND_LEN);
        rcvKeys = field(host, InvocationDescriptor.RCV_KEYS);
        rcvPtr = field(host, InvocationDescriptor.RCV_PTR);
        rcvLimit = field(host, InvocationDescriptor.RCV_LIMIT);
        int reserved1 = field(host, InvocationDescriptor.RESERVED1);
        // The first word holds the four byte fields, little-endian (abi.md §1).
        invType = head & 0xFF;
        invKey = (head >>> 8) & 0xFF;
        int gateKey = (head >>> 16) & 0xFF;
        gateReg = gateKey;
        // Every field at once, without a branch per field (& rather than &&): the bytes of
        // the head other than the type — key registers 0..31 (no 0xE0 bits), the reserved byte
        // 0 — the reserved word, the register bytes of the key lists, and both lengths.
        return InvocationType.isValid(invType)
            & ((head & HEAD_RANGE_BITS) | reserved1 | ((sndKeys | rcvKeys) & REGISTER_RANGE_BITS)) == 0
            & (invType == InvocationType.QPOST | gateKey == 0)
            & Integer.compareUnsigned(sndLen, Limits.MAX_STRING) <= 0
            & Integer.compareUnsigned(rcvLimit, Limits.MAX_STRING) <= 0;
    }

    /** Head bits that must be 0: bytes 1 and 2 (invoked and gate key register) name registers 0..31, byte 3 is reserved. */
    private static final int HEAD_RANGE_BITS = 0xFF000000 | (~(ProcessLayout.KEY_REGISTERS - 1) & 0xFF) << 16
        | (~(ProcessLayout.KEY_REGISTERS - 1) & 0xFF) << 8;
    /** In a packed list of four register bytes, the bits that make a byte name no register 0..31. */
    private static final int REGISTER_RANGE_BITS = 0xE0E0E0E0;

    /** The descriptor's int at {@code offset}: in place at {@code host}, or from the copy when {@code host < 0}. */
    private int field(long host, int offset) {
        return host >= 0 ? UserMemory.hostInt(host + offset) : i32(offset);
    }

    private int i32(int offset) {
        return (descriptor[offset] & 0xFF) | (descriptor[offset + 1] & 0xFF) << 8
            | (descriptor[offset + 2] & 0xFF) << 16 | (descriptor[offset + 3] & 0xFF) << 24;
    }

    /**
     * The location of the keeper slot of red segment {@code node} if it is kept (its
     * well-formed format key names a keeper slot; kernel.md §8), else {@link KeyLocation#NONE}.
     * The slot may hold any key: only a start key makes the segment a gate.
     */
    private int keeperKeyOf(int node) {
        int slot = keys.redSegmentKeeperSlot(node);
        return slot < 0 ? KeyLocation.NONE : KeyLocation.nodeSlot(node, slot);
    }

    /** The invocation convention of red segment {@code node}'s format key (checked well-formed). */
    private int redirectConvention(int node) {
        return RedSegmentFormat.convention((int) keys.oidAt(KeyLocation.nodeSlot(node, RedSegmentFormat.FORMAT_SLOT)));
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
        int handle = keys.prepare(location);
        if (handle == Keys.NO_RESOURCES) {
            return false;
        }
        if (handle >= 0) {
            pinObject(KeyDescriptor.type(keys.tailAt(location)), handle);
        }
        return true;
    }

    /**
     * Dry run of the order: sent keys it reads are prepared and their objects pinned (a stale
     * one becomes void), and whatever else it needs is brought in. False if an object cannot
     * be brought in now (a full implementation would stall on the object cache).
     */
    private boolean prepareOrder(int e, int type, int order, int location) {
        switch (type) {
            case KeyType.DISCRIM:
                return prepareSent(e, 0) & prepareSent(e, 1);
            case KeyType.PAGE:
                return order != OrderCode.PAGE_CLONE || prepareSent(e, 0);
            case KeyType.RANGE:
                return order != OrderCode.RANGE_RESCIND || prepareSent(e, 0);
            case KeyType.PROCESS:
                return processOrders.prepare(location, order);
            default:
                return true;
        }
    }

    /**
     * Dry run, RETURN on a kernel key: if the 4th sent key is a resume key to a WAITING
     * process, loads that process and makes it the answer's receiver ({@link #answerEntry},
     * {@link #answerResume}); a stale resume key, or one to a process that is not WAITING or
     * is halted, leaves the answer with nobody (dropped). False (UNSUPPORTED, reason set) if
     * the key's object cannot be brought in or its process cannot be loaded.
     */
    private boolean answerTarget(int e) {
        int reg = sndKeys >>> 24;
        if (reg == 0) {
            return true;
        }
        int location = KeyLocation.nodeSlot(processes.keyRegistersNode(e), reg);
        if (KeyDescriptor.type(keys.tailAt(location)) != KeyType.RESUME) {
            return true;
        }
        machine.charge(CostModel.KEY_PREPARE);
        int root = keys.prepare(location);
        if (root == Keys.NO_RESOURCES) {
            unsupportedType = OBJECT_CACHE_FULL;
            unsupportedOrder = KeyType.RESUME;
            return false;
        }
        if (root < 0) {
            return true; // a stale resume key: void, the answer is dropped
        }
        long oid = processes.cache().nodes().oid(root);
        int t = scheduler.load(oid); // the entry, loaded if it was not
        if (t < 0) {
            unsupportedType = TARGET_UNLOADABLE;
            unsupportedOrder = (int) oid;
            return false;
        }
        if (processes.runState(t) == ProcessLayout.WAITING && processes.faultCode(t) == 0
            && processes.cache().nodes().callCount(root) != -1) {
            answerEntry = t;
            answerResume = location;
        }
        return true;
    }

    /** How long a string answer to {@code order} on a key of {@code type} can be (0: none). */
    private static int stringAnswerLength(int type, int order) {
        if (type == KeyType.PROCESS && order == OrderCode.PROCESS_GET_REGS) {
            return RegisterFile.SIZE;
        }
        if (type == KeyType.SYSTRACE && order == OrderCode.SYSTRACE_READ_COUNTERS) {
            return KernelCounters.SIZE;
        }
        return 0;
    }

    /**
     * Dry run: how many of the first {@code most} bytes of a string answer receiver {@code to}
     * can take: its receive limit, cut at the first page of its buffer it may not write (the
     * check fills PTEs, which only changes representation). Binds {@link #memory} to the
     * receiver's space, where {@link #deliver} writes.
     */
    private int stringRoom(int e, int to, int most) {
        int limit = to == e ? rcvLimit : processes.get(to, RCV_LIMIT_OFFSET);
        int ptr = to == e ? rcvPtr : processes.get(to, RCV_PTR_OFFSET);
        int n = Math.min(most, limit);
        if (n <= 0) {
            return 0;
        }
        if (to != e) {
            memory.enterSpaceOf(processes.rootNode(to));
        }
        return memory.writablePrefix(ptr, n);
    }

    /**
     * Effect, RETURN: delivers the answer to {@code t} through the resume key at
     * {@code location} and consumes it, then gives {@code t} an activity (asleep until
     * {@link #wakeAt} for SLEEP_FOR). If the order itself voided the key or changed {@code t}
     * (MAKE_RESUME_KEY or RESCIND of that process), the answer is dropped.
     */
    private void answerThroughResumeKey(int t, int location, int room) {
        int tail = keys.tailAt(location);
        if (KeyDescriptor.type(tail) != KeyType.RESUME || !KeyDescriptor.isPrepared(tail) || !processes.isInUse(t)
            || processes.runState(t) != ProcessLayout.WAITING || processes.faultCode(t) != 0
            || keys.word2At(location) != processes.rootNode(t)) {
            return;
        }
        deliver(t, processes.get(t, RCV_KEYS_OFFSET), processes.get(t, RCV_PTR_OFFSET), room);
        machine.charge(CostModel.RESUME_CONSUME);
        keys.consumeResumeKeys(processes.rootNode(t)); // checked in the dry run: the call count can grow
        // Invariant: t was WAITING, so it has no activity; the invoker's was just freed.
        int activity = scheduler.start(t);
        if (wakeAt != NO_SLEEP && activity >= 0) {
            scheduler.sleep(activity, wakeAt);
        }
    }

    // ------------------------------------------------------------------ pins of the dry run

    /** Objects pinned for the current invocation: handle, and whether it is a frame. */
    private static final int MAX_PINS = 8;
    private final int[] pinned = new int[MAX_PINS];
    private final boolean[] pinnedFrame = new boolean[MAX_PINS];
    private int pins;

    /** Pins the object a prepared key of {@code type} with {@code handle} names, until the invocation ends. */
    void pinObject(int type, int handle) {
        boolean frame = type == KeyType.PAGE;
        if (frame) {
            processes.cache().frames().pin(handle);
        } else {
            processes.cache().nodes().pin(handle);
        }
        pinned[pins] = handle;
        pinnedFrame[pins] = frame;
        pins++;
    }

    private void unpinAll() {
        while (pins > 0) {
            pins--;
            if (pinnedFrame[pins]) {
                processes.cache().frames().unpin(pinned[pins]);
            } else {
                processes.cache().nodes().unpin(pinned[pins]);
            }
        }
    }

    /**
     * The kernel key's action and answer (r0..r3, key 0 in {@link #ANSWER_KEY}, a string in
     * {@link #answer}). One case per key type; the bigger keys have their own classes.
     * Returns true for STOP_RUN.
     */
    private boolean act(int e, int a, int type, int order, int location) {
        machine.charge(CostModel.KERNEL_KEY_INVOKE);
        r1 = 0;
        r2 = 0;
        r3 = 0;
        if (type == KeyType.VOID) {
            r0 = gateRefusal; // void answers every order, GET_TYPE included, with VOID
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
                return systrace(e, order);
            case KeyType.NODE:
                r0 = node(e, order);
                return false;
            case KeyType.SEGMENT:
                if (order == OrderCode.REDUCE) {
                    r0 = reduce(e);
                }
                return false;
            case KeyType.PAGE:
                r0 = order == OrderCode.REDUCE ? reduce(e) : pageOrders.act(e, order, location);
                return false;
            case KeyType.DISCRIM:
                r0 = discrim(e, order);
                return false;
            case KeyType.RANGE:
                r0 = rangeOrders.act(e, a, order);
                return false;
            case KeyType.PROCESS:
                r0 = processOrders.act(e, order, location);
                return false;
            case KeyType.SLEEP:
                if (order == OrderCode.SLEEP_FOR) {
                    // w1:w2 = unsigned 64-bit duration in emulated cycles; saturates ("for ever").
                    long duration = (word(e, 1) & 0xFFFFFFFFL) | (long) word(e, 2) << 32;
                    long now = machine.cycles();
                    wakeAt = duration < 0 || now + duration < now ? Long.MAX_VALUE : now + duration;
                    r0 = ResultCode.OK;
                }
                return false;
            case KeyType.CHECKPOINT:
                if (order == OrderCode.CHECKPOINT_TAKE) {
                    r0 = checkpoint.take();
                }
                return false;
            default:
                return false; // SCHED: GET_TYPE only (abi.md §4)
        }
    }

    /** SYSTRACE orders: MARK, READ_COUNTERS, RESET_COUNTERS, STOP_RUN (true). */
    private boolean systrace(int e, int order) {
        switch (order) {
            case OrderCode.SYSTRACE_MARK:
                int i = (int) (marks % MARK_CAPACITY);
                markTags[i] = word(e, 1);
                markCycles[i] = machine.cycles();
                marks++;
                machine.traceMark(e, markTags[i]);
                r0 = ResultCode.OK;
                return false;
            case OrderCode.SYSTRACE_READ_COUNTERS:
                answerLength = counters.read(answer);
                r0 = ResultCode.OK;
                return false;
            case OrderCode.SYSTRACE_RESET_COUNTERS:
                counters.reset();
                r0 = ResultCode.OK;
                return false;
            case OrderCode.SYSTRACE_STOP_RUN:
                stopStatus = word(e, 1);
                r0 = ResultCode.OK;
                return true;
            default:
                return false;
        }
    }

    /** Word {@code i} (1..3: EBX, ECX, EDX) the invoker sent. */
    int word(int e, int i) {
        return processes.get(e, i == 1 ? EBX_OFFSET : i == 2 ? ECX_OFFSET : EDX_OFFSET);
    }

    /** The send string (valid for {@link #sendLength} bytes). */
    byte[] sendString() {
        return string;
    }

    int sendLength() {
        return sndLen;
    }

    /** Scratch register holding key 0 of the answer until {@link #deliver} (void otherwise). */
    static final int ANSWER_KEY = KeyLocation.scratch(1);
    /** Scratch register standing for register 0 (void) as a sent key; always void. */
    private static final int VOID_KEY = KeyLocation.scratch(2);

    /** The location of sent key {@code i} (register 0: a void key). */
    int sentKey(int e, int i) {
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
     * Delivers the answer as a reply (abi.md §1) to entry {@code x} with receive keys
     * {@code rcv} and receive buffer {@code ptr}: words in EAX..EDX, the string answer (if
     * any) up to {@code room} bytes (checked in the dry run; {@link #memory} is bound to
     * {@code x}'s space) with its length in ESI, keyInfo 0 in EDI, and the keys in the key
     * registers {@code rcv} names: key 0 is the answer key the order produced (void if none),
     * keys 1..3 void; register 0 discards.
     */
    private void deliver(int x, int rcv, int ptr, int room) {
        machine.charge(CostModel.WORD_COPY);
        int n = Math.min(answerLength, room);
        if (n > 0) {
            machine.chargeString(n);
            memory.write(ptr, answer, n);
        }
        processes.setMessage(x, r0, r1, r2, r3, n, 0);
        int keyRegs = processes.keyRegistersNode(x);
        for (int i = 0; i < 4; i++) {
            int reg = (rcv >>> (8 * i)) & 0xFF;
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
