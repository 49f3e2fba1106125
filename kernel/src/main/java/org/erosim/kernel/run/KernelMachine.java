package org.erosim.kernel.run;

import static org.erosim.kernel.process.ProcessDescriptor.*;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.cpu.Cpu;
import org.erosim.cpu.Flags;
import org.erosim.cpu.Interpreter;
import org.erosim.cpu.Reg;
import org.erosim.cpu.TrapHook;
import org.erosim.cpu.Vector;
import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.cost.CostAccount;
import org.erosim.kernel.cost.CostModel;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.NodeDescriptor;
import org.erosim.kernel.object.ConsistencyChecker;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.object.ObjectHeader;
import org.erosim.kernel.object.ObjectSource;
import org.erosim.kernel.object.RecordBuffer;
import org.erosim.kernel.post.PostChecker;
import org.erosim.kernel.post.PostTable;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.sched.ActivityDescriptor;
import org.erosim.kernel.sched.ActivityTable;
import org.erosim.kernel.sched.KeeperRewake;
import org.erosim.kernel.sched.Scheduler;
import org.erosim.kernel.sched.SchedulerChecker;
import org.erosim.kernel.space.PageTableCache;
import org.erosim.kernel.space.SlotWriteFanout;
import org.erosim.kernel.space.WalkResult;
import org.erosim.kernel.store.StoreFile;
import org.erosim.mmu.PhysicalMemory;

/**
 * The capability kernel's machine (kernel.md §4, abi.md §1): one IA-32 CPU that only ever
 * runs ring-3 processes, with the kernel written in Java.
 *
 * <h2>Personality</h2>
 * Protected mode with paging (CR0.PE|PG|WP). The host owns ring 0: there is no guest
 * ring-0 code, so the GDT and IDT are empty (limit 0) and no TSS is needed — nothing is
 * ever delivered through them. Processes run with flat ring-3 descriptor caches loaded by
 * the host (CS = 0x1B code, SS/DS/ES/FS/GS = 0x23 data, base 0, limit 4 GiB, DPL 3). The
 * {@link TrapHook} takes every trap raised at CPL 3 — {@code INT 0x31}, any other software
 * interrupt and every exception — out of the interpreter to the Java kernel instead of
 * through the IDT. A process that reloads a segment register finds an empty GDT and faults
 * with #GP (fault code 0x10D): flat is the only model (abi.md §6).
 *
 * <h2>Dispatcher loop</h2>
 * {@link #run}: pick the next activity ({@link Scheduler#dispatch}), load its process's
 * registers from the process-table entry into the CPU, load CR3 from
 * {@link PageTableCache#directoryFor} (asked again before every resume, since a fill may
 * reset the pool), run the interpreter for what is left of the slice, save the registers
 * back, charge the cycles, then handle what stopped it: a page fault is filled from the
 * segment tree (or becomes a process fault), {@code INT 0x31} is an {@link Invocation},
 * another exception is a process fault, a spent slice sends the activity to the back of
 * the ready queue.
 *
 * <h2>Process faults</h2>
 * A ring-3 exception, a page fault the segment tree cannot satisfy, or a malformed
 * invocation is a <em>process fault</em> (abi.md §5): its code and info are latched in the
 * process-table entry and the {@link KeeperUpcall} makes the upcall to the process keeper
 * (root slot 1). While the fault is latched the process runs no guest code: each time its
 * activity is dispatched the upcall is tried again (it stalls while the keeper is busy).
 * A process whose slot 1 holds no start key is <em>halted</em>: its activity ends, it is left
 * WAITING with the fault recorded (no resume key to it exists, so nothing restarts it) and
 * the run reports {@code "process 0x… halted: fault NAME (code) at EIP 0x…"}. A keeper that
 * replies to the fault resume key with a nonzero w0 declines the fault: the process stays
 * halted and is reported the same way.
 *
 * <p>EIP at a fault is that of the faulting instruction (the hardware's fault convention,
 * so a restart re-executes it); for the traps INT3 and INTO it is after the instruction. A
 * software {@code INT n} other than {@code INT 0x31} is #GP with EIP at the INT and fault
 * info {@code n * 8 + 2} (the IDT error code), as hardware with an empty IDT.
 *
 * <p>Kernel costs are charged through a {@link CostAccount} and added to the CPU's cycle
 * counter, so RDTSC sees them. Hot paths allocate nothing; reports (halts, the end of the
 * run) build strings.
 */
public final class KernelMachine implements AutoCloseable {
    /** Flat ring-3 selectors (GDT index 3 and 4, RPL 3); the GDT itself is empty. */
    static final int USER_CODE_SELECTOR = 0x1B;
    static final int USER_DATA_SELECTOR = 0x23;
    /** Descriptor-cache attributes: present, DPL 3, code execute/read or data read/write, G, D/B. */
    static final int USER_CODE_ATTR = 0xC0FB;
    static final int USER_DATA_ATTR = 0xC0F3;
    /** EFLAGS bits a process controls; IF is always set, IOPL 0, no VM/NT/RF. */
    static final int USER_FLAGS = Flags.ARITH | Flags.TF | Flags.DF | Flags.AC | Flags.ID;
    /** The trap vector of an invocation (abi.md §1). */
    public static final int TRAP_VECTOR = 0x31;

    private final RunOptions options;
    private final PhysicalMemory memory;
    public final Cpu cpu;
    private final Interpreter interpreter;
    private final ObjectCache cache;
    private final ProcessTable processes;
    private final ActivityTable activities;
    private final Scheduler scheduler;
    private final PageTableCache tables;
    private final CostAccount costs;
    private final UserMemory user;
    private final Invocation invocation;
    private final KeeperUpcall keeper;
    private final KeeperRewake rewake;
    private final QueuedPost posts;
    private final WalkResult walk = new WalkResult();
    private final OutputStream console;

    // The trap the hook recorded during the last interpreter run (NO_TRAP: none).
    private static final int NO_TRAP = -1;
    private int trapVector = NO_TRAP;
    private int trapError;
    private boolean trapSoftware;

    /**
     * The cycle counter's value when the kernel's cycles were last settled ({@link #settle}):
     * the kernel cycles charged since then, not yet billed to any activity, are
     * {@code cpu.cycles - settledAt}. Invariant: the cycle counter advances only by kernel
     * charges, or by guest instructions and idle time, which move this mark with it (run(),
     * {@link #trapInKernel}). A charge is then one add to the counter, which RDTSC reads
     * anyway, instead of a second running sum beside it.
     */
    private long settledAt;
    private int lastEntry = NONE;
    /** A trap entered the kernel and no process has been resumed since: the next resume charges trap_exit. */
    private boolean inKernel;

    private final List<String> halts = new ArrayList<>();
    /** The event trace (--trace), or null. */
    private Trace trace;
    /** The cycle count at which the next periodic checkpoint is due (never without --checkpoint-every). */
    private long nextCheckpoint = Long.MAX_VALUE;
    /** Told after every checkpoint (periodic or CHECKPOINT TAKE): erosim run copies the store out. */
    private Runnable checkpointListener = () -> { };
    private int stopStatus;
    private long traps;
    /** Retries whose trap the kernel executed itself ({@link #replayTrap}). */
    private long trapsReplayed;
    /** Trap replay on ({@link RunOptions#trapReplay}). */
    private final boolean trapReplay;
    private long pageFaults;
    private long processFaults;
    private long startCycles;

    /**
     * Assembles the machine over {@code store}: RAM for {@code options.frames} object pages
     * followed by the page-table pool, the object cache, process and activity tables,
     * scheduler, page-table cache (the slot-write listener), and the ring-3 CPU.
     */
    public KernelMachine(ObjectSource store, RunOptions options, OutputStream console) {
        this.options = options;
        this.console = console;
        long page = PhysicalMemory.PAGE_SIZE;
        long objectBase = page; // physical page 0 stays unused: a zero PTE never names RAM in use
        long poolBase = objectBase + options.frames * page;
        this.memory = new PhysicalMemory(poolBase + options.pageTableFrames * page);
        this.cache = new ObjectCache(store, options.nodes, memory, objectBase, options.frames);
        this.cpu = new Cpu(memory);
        this.settledAt = cpu.cycles;
        this.interpreter = new Interpreter(cpu);
        this.tables = new PageTableCache(cache, cpu.mmu, poolBase, options.pageTableFrames, options.dependencies);
        SlotWriteFanout listeners = new SlotWriteFanout(4).add(tables);
        cache.keys().setListener(listeners);
        this.processes = new ProcessTable(cache, options.processes);
        this.activities = new ActivityTable(options.activities);
        this.scheduler = new Scheduler(cache, processes, activities, options.wakePolicy, options.slice);
        this.rewake = new KeeperRewake(cache.keys(), cache.nodes(), processes, scheduler);
        rewake.setEnabled(options.keeperRewake);
        this.trapReplay = options.trapReplay;
        listeners.add(rewake); // after the page-table cache: a woken retry must see the new mappings
        this.costs = new CostAccount(options.costModel);
        this.user = new UserMemory(cpu, tables);
        this.posts = new QueuedPost(this, new PostTable(options.posts, options.nodes), processes, activities, scheduler,
            user, options.postRecheck);
        cache.setNodeEvictionListener(posts::gateEvicted);
        this.invocation = new Invocation(this, processes, scheduler, user, posts);
        this.keeper = new KeeperUpcall(this, processes, scheduler, user, invocation.processOrders());
        enterUserMode();
        // No guest can write the page tables (they live in the pool, outside every space) or
        // load CR3, and the page-table cache drops every translation it takes away whichever
        // space is loaded: so a space switch need not flush the host TLB (the cost model's
        // TLB still flushes, as on hardware; docs/architecture.md).
        cpu.setSpaceTagging(true);
        cpu.trapHook = new KernelTrap();
    }

    /** Protected mode, paging, empty GDT/IDT, flat ring-3 caches, CPL 3 (see the class comment). */
    private void enterUserMode() {
        cpu.gdtBase = 0;
        cpu.gdtLimit = 0;
        cpu.idtBase = 0;
        cpu.idtLimit = 0;
        cpu.setCr3((int) tables.directoryFor(emptySpace()));
        user.setDirectory(cpu.cr3);
        cpu.setCr0(Cpu.CR0_PE | Cpu.CR0_PG | Cpu.CR0_WP | Cpu.CR0_NE);
        loadUserSegments();
        cpu.setCpl(3);
        cpu.setEflags(Flags.IF, -1);
    }

    /** A key location holding a void key: its directory is the permanently empty one. */
    private int emptySpace() {
        return KeyLocation.scratch(0);
    }

    private void loadUserSegments() {
        cpu.setSegmentCache(Reg.CS, USER_CODE_SELECTOR, 0, -1, USER_CODE_ATTR);
        cpu.setSegmentCache(Reg.SS, USER_DATA_SELECTOR, 0, -1, USER_DATA_ATTR);
        cpu.setSegmentCache(Reg.DS, USER_DATA_SELECTOR, 0, -1, USER_DATA_ATTR);
        cpu.setSegmentCache(Reg.ES, USER_DATA_SELECTOR, 0, -1, USER_DATA_ATTR);
        cpu.setSegmentCache(Reg.FS, USER_DATA_SELECTOR, 0, -1, USER_DATA_ATTR);
        cpu.setSegmentCache(Reg.GS, USER_DATA_SELECTOR, 0, -1, USER_DATA_ATTR);
    }

    /**
     * Takes every trap raised at CPL 3 to the kernel. At CPL 0 (never reached: no guest
     * ring-0 code exists) the hardware path is kept. Allocation-free: it records the trap
     * and asks the interpreter to stop at the instruction boundary.
     */
    private final class KernelTrap implements TrapHook {
        @Override
        public boolean trap(Cpu c, int vector, int errorCode, boolean hasErrorCode, boolean software) {
            if (c.cpl != 3) {
                return false;
            }
            if (trapVector != NO_TRAP && vector == Vector.DB && !software) {
                // The single-step trap the CPU raises after an instruction that already
                // trapped (INT 0x31 with TF set): the kernel is that trap's handler, entered
                // with TF clear as through an interrupt gate, so no #DB is taken at the INT;
                // the process single-steps on from the instruction after it.
                return true;
            }
            trapVector = vector;
            trapError = errorCode;
            trapSoftware = software;
            interpreter.requestStop();
            return true;
        }
    }

    // ------------------------------------------------------------------ boot

    /**
     * Gives every process stored RUNNING an activity (store-format.md: "runs at boot" is
     * run state RUNNING). Scans the store's nodes for process roots: slot 3 a node key,
     * slot 8 a number key whose run state is RUNNING. Returns how many were started; a root
     * that cannot be loaded is reported as halted.
     */
    public int boot(StoreFile store) {
        UnsafeBuffer slots = new UnsafeBuffer(new byte[ProcessLayout.KEY_REGISTERS * KeyDescriptor.LENGTH]);
        ObjectHeader header = new ObjectHeader();
        int started = 0;
        for (int i = 0; i < store.objectCount(); i++) {
            long oid = store.oidAt(i);
            if (store.kind(oid) != ObjectSource.KIND_NODE || !store.readNode(oid, header, slots, 0)) {
                continue;
            }
            int keyRegs = slots.getInt(ProcessLayout.SLOT_KEY_REGISTERS * KeyDescriptor.LENGTH + KeyDescriptor.TAIL_OFFSET);
            int state = slots.getInt(ProcessLayout.SLOT_FAULT_AND_STATE * KeyDescriptor.LENGTH + KeyDescriptor.TAIL_OFFSET);
            int runWord = slots.getInt(ProcessLayout.SLOT_FAULT_AND_STATE * KeyDescriptor.LENGTH + KeyDescriptor.WORD2_OFFSET);
            if (KeyDescriptor.type(keyRegs) != KeyType.NODE || KeyDescriptor.type(state) != KeyType.NUMBER
                || (runWord & RUN_STATE_MASK) != ProcessLayout.RUNNING) {
                continue;
            }
            int e = scheduler.load(oid);
            if (e < 0) {
                halts.add(String.format("process 0x%x halted: cannot load it at boot (%s)", oid,
                    e == ProcessTable.MALFORMED ? "malformed process root" : "no room in the process or activity table"));
                continue;
            }
            started++;
        }
        startCycles = cpu.cycles;
        scheduler.advanceTo(cpu.cycles);
        if (options.checkpointEvery > 0) {
            nextCheckpoint = cpu.cycles + options.checkpointEvery;
        }
        return started;
    }

    // ------------------------------------------------------------------ the dispatcher

    /** Runs until STOP_RUN, until nothing can run, or until {@link RunOptions#maxCycles} after boot. */
    public RunEnd run() {
        return run(startCycles + options.maxCycles);
    }

    /**
     * Runs until STOP_RUN, until nothing can run, or until the cycle counter reaches
     * {@code limit} ({@link RunEnd#CYCLE_LIMIT}; the run can be continued by calling again
     * with a later limit). Allocation-free in steady state, except when a process halts.
     */
    public RunEnd run(long limit) {
        while (true) {
            if (cpu.cycles >= limit || invocation.gateInvocations >= gateTarget) {
                return RunEnd.CYCLE_LIMIT; // gateTarget: see runGateInvocations (benchmark support)
            }
            if (cpu.cycles >= nextCheckpoint) {
                // --checkpoint-every, as CHECKPOINT TAKE: between two activities every register
                // is in its entry.
                invocation.checkpoints().take();
                nextCheckpoint = cpu.cycles + options.checkpointEvery;
            }
            int a = scheduler.dispatch();
            if (a == ActivityDescriptor.NONE) {
                long next = scheduler.nextWakeCycle();
                if (next == Long.MAX_VALUE) {
                    return halts.isEmpty() && !scheduler.isDeadlocked() ? RunEnd.IDLE : RunEnd.HALTED;
                }
                long idleTo = Math.max(cpu.cycles, Math.min(next, limit)); // idle until the next sleeper is due
                settledAt += idleTo - cpu.cycles; // idle time is nobody's kernel time
                cpu.cycles = idleTo;
                scheduler.advanceTo(cpu.cycles);
                continue;
            }
            int e = entryToResume(a);
            if (e == NONE) {
                continue;
            }
            if (trapReplay && (activities.flags(a) & ActivityDescriptor.FLAG_RETRYING) != 0) {
                int outcome = replayTrap(e, a);
                if (outcome == Invocation.STOP) {
                    return RunEnd.STOPPED;
                }
                if (outcome != NOT_REPLAYED) {
                    continue;
                }
            }
            resume(e);
            long budget = Math.min(scheduler.sliceLength() - activities.sliceUsed(a), limit - cpu.cycles);
            long before = cpu.cycles;
            trapVector = NO_TRAP;
            // Every instruction costs at least one cycle, so an instruction budget equal to
            // the cycles left never overruns the slice by more than one instruction.
            Interpreter.Stop stop = interpreter.run(Math.max(1, budget));
            save(e);
            long used = cpu.cycles - before;
            settledAt += used; // the guest's cycles are not kernel time
            scheduler.advanceTo(cpu.cycles);
            unbilledGuestCycles = used; // billed with the trap's kernel cycles; afterRun checks the slice
            int outcome = trapVector == NO_TRAP ? handleStop(stop) : handleTrap(e, a);
            if (afterRun(a, outcome) == Invocation.STOP) {
                return RunEnd.STOPPED;
            }
        }
    }

    /**
     * The end of activity {@code a}'s turn with {@code outcome}: the guest cycles of the turn
     * and, unless it is STOP, the kernel cycles charged since the last settle are billed to
     * it, and if it goes on running (RESUME) with its slice spent (by its instructions, or by
     * the kernel's cycles) it is preempted. Returns {@code outcome}. For run() and
     * {@link #trapInKernel}.
     */
    private int afterRun(int a, int outcome) {
        if (outcome == Invocation.STOP) {
            if (unbilledGuestCycles != 0 && activities.isInUse(a)) {
                scheduler.charge(a, unbilledGuestCycles); // billed even so, as the kernel's are not
            }
            unbilledGuestCycles = 0;
            return outcome;
        }
        settle(a);
        if (outcome == Invocation.RESUME && activities.sliceUsed(a) >= scheduler.sliceLength()) {
            scheduler.preempt(a);
        }
        return outcome;
    }

    /**
     * The kernel's part of dispatching activity {@code a} before any guest code runs: a
     * queued post is evaluated (kernel.md §11); a process without a schedule key faults
     * NO_SCHEDULE (§13); a process with a latched fault makes its keeper upcall instead of
     * running (§9). Returns the process-table entry to resume, or NONE when the activity was
     * handled here (its kernel cycles are settled).
     */
    private int entryToResume(int a) {
        if (activities.kind(a) == ActivityDescriptor.KIND_POST) {
            posts.step(a, false); // a queued post woken (or preempted): evaluate it again
            settle(a);
            return NONE;
        }
        int e = activities.subject(a);
        // The schedule slot is read only if it was written since it last held a schedule key
        // (ProcessTable, "root slots the dispatch checked").
        if (!processes.isScheduleChecked(e)) {
            if (KeyDescriptor.type(cache.keys().tailAt(KeyLocation.nodeSlot(processes.rootNode(e),
                ProcessLayout.SLOT_SCHEDULE))) == KeyType.SCHED) {
                processes.setScheduleChecked(e);
            } else if (processes.faultCode(e) == FaultCode.NONE) {
                processFaults++;
                processes.setFault(e, FaultCode.NO_SCHEDULE, 0);
            }
        }
        if (processes.faultCode(e) != FaultCode.NONE) {
            deliverFault(e, a); // the activity exists to make the keeper upcall, not to run
            settle(a);
            return NONE;
        }
        return e;
    }

    /** A stop without a trap: the budget ran out (SHUTDOWN/HALTED cannot happen at CPL 3). */
    private int handleStop(Interpreter.Stop stop) {
        return Invocation.RESUME;
    }

    /**
     * Loads entry {@code e}'s registers and address space into the CPU, charging a context
     * switch when another process ran last and an address-space switch when CR3 changes.
     */
    private void resume(int e) {
        enter(e);
        int cr3 = user.directory();
        if (cpu.cr3 != cr3) {
            // CR3 follows the kernel's directory only when guest code is about to run: a trap
            // served without guest code (replay, kernel path) leaves the CPU where it was.
            cpu.setCr3(cr3);
        }
        loadRegisters(e);
    }

    /**
     * The part of {@link #resume} that is not the CPU's: the charges of leaving the kernel
     * for entry {@code e} (trap exit, context switch, address-space switch) and its address
     * space bound and its directory the kernel's, for the kernel's reads of its memory (the
     * CPU's CR3 follows in {@link #resume}). Charges nothing
     * when repeated for the same entry with no trap in between.
     */
    private void enter(int e) {
        if (inKernel) {
            charge(CostModel.TRAP_EXIT);
            inKernel = false;
        }
        if (e != lastEntry) {
            charge(CostModel.CONTEXT_SWITCH);
            lastEntry = e;
        }
        int space = UserMemory.spaceLocation(processes.rootNode(e));
        user.bind(space);
        // The entry's directory memo, trusted without reading the space slot while the slot
        // has not been written since the memo was found to hold its key (ProcessTable).
        RecordBuffer memo = processes.buffer();
        int at = recordOffset(e) + DIRECTORY_MEMO_OFFSET;
        long directory = processes.isSpaceChecked(e) ? tables.memoisedDirectory(memo, at) : -1;
        if (directory < 0) {
            directory = tables.directoryFor(space, memo, at);
            if (tables.memoHolds(space, memo, at)) {
                processes.setSpaceChecked(e);
            }
        }
        int cr3 = (int) directory;
        if (cr3 != user.directory()) {
            charge(CostModel.ADDRESS_SPACE_SWITCH); // the switch is the kernel's: see resume for the CPU's
            user.setDirectory(cr3);
        }
    }

    /** Entry {@code e}'s registers into the CPU (the user segments too, if the last process changed them). */
    private void loadRegisters(int e) {
        int[] r = cpu.r;
        r[Reg.EAX] = processes.get(e, EAX_OFFSET);
        r[Reg.EBX] = processes.get(e, EBX_OFFSET);
        r[Reg.ECX] = processes.get(e, ECX_OFFSET);
        r[Reg.EDX] = processes.get(e, EDX_OFFSET);
        r[Reg.ESI] = processes.get(e, ESI_OFFSET);
        r[Reg.EDI] = processes.get(e, EDI_OFFSET);
        r[Reg.EBP] = processes.get(e, EBP_OFFSET);
        r[Reg.ESP] = processes.get(e, ESP_OFFSET);
        cpu.eip = processes.get(e, EIP_OFFSET);
        cpu.setEflags((processes.get(e, EFLAGS_OFFSET) & USER_FLAGS) | Flags.IF, -1);
        if (cpu.sel[Reg.DS] != USER_DATA_SELECTOR || cpu.sel[Reg.ES] != USER_DATA_SELECTOR
            || cpu.sel[Reg.FS] != USER_DATA_SELECTOR || cpu.sel[Reg.GS] != USER_DATA_SELECTOR
            || cpu.sel[Reg.SS] != USER_DATA_SELECTOR || cpu.sel[Reg.CS] != USER_CODE_SELECTOR) {
            loadUserSegments(); // the last process loaded a null selector
        }
    }

    /** Saves the CPU's registers into entry {@code e}: the entry is the truth while the kernel runs. */
    private void save(int e) {
        int[] r = cpu.r;
        processes.set(e, EAX_OFFSET, r[Reg.EAX]);
        processes.set(e, EBX_OFFSET, r[Reg.EBX]);
        processes.set(e, ECX_OFFSET, r[Reg.ECX]);
        processes.set(e, EDX_OFFSET, r[Reg.EDX]);
        processes.set(e, ESI_OFFSET, r[Reg.ESI]);
        processes.set(e, EDI_OFFSET, r[Reg.EDI]);
        processes.set(e, EBP_OFFSET, r[Reg.EBP]);
        processes.set(e, ESP_OFFSET, r[Reg.ESP]);
        processes.set(e, EIP_OFFSET, cpu.eip);
        processes.set(e, EFLAGS_OFFSET, cpu.eflags());
    }

    /** Handles the trap the hook recorded for entry {@code e} (activity {@code a}). */
    private int handleTrap(int e, int a) {
        traps++;
        charge(CostModel.TRAP_ENTRY);
        int vector = trapVector;
        int outcome;
        if (trapSoftware && vector == TRAP_VECTOR) {
            // The entry's EIP is after INT 0x31; back it up so that a stall re-executes the
            // trap (kernel.md §4). The commit advances it again.
            processes.set(e, EIP_OFFSET, processes.get(e, EIP_OFFSET) - Invocation.TRAP_LENGTH);
            // For the trace only: the order before the answer overwrites EAX, and whether it stalls.
            long stallsBefore = invocation.stalls;
            int order = trace == null ? 0 : processes.get(e, EAX_OFFSET);
            outcome = invocation.invoke(e, a);
            if (trace != null) {
                trace.invoke(cpu.cycles, processes.rootOid(e), invocation.tracedInvType(), invocation.entryKeyType,
                    order, outcome == Invocation.FAULT ? Trace.FAULTED : outcome == Invocation.STOP ? Trace.STOPPED
                        : invocation.stalls != stallsBefore ? Trace.STALLED
                        : outcome == Invocation.RESUME ? Trace.RESUMED : Trace.LEFT);
            }
            if (outcome == Invocation.FAULT) {
                outcome = fault(e, a, invocation.faultCode, invocation.faultInfo);
            } else if (outcome == Invocation.UNSUPPORTED) {
                processes.setFault(e, FaultCode.NONE, 0);
                halt(e, a, unsupportedText());
            }
        } else if (vector == Vector.PF && !trapSoftware) {
            outcome = pageFault(e, a);
        } else {
            int code = faultCodeOf(vector, trapSoftware);
            int info = vector == Vector.GP || vector == Vector.SS || vector == Vector.NP || vector == Vector.TS
                ? trapError : 0;
            if (trapSoftware && code == FaultCode.VECTOR_BASE + Vector.GP) {
                // INT n through the empty IDT: #GP(n*8+2) is a fault, EIP at the INT.
                processes.set(e, EIP_OFFSET, processes.get(e, EIP_OFFSET) - Invocation.TRAP_LENGTH);
                info = vector * 8 + 2;
            }
            outcome = fault(e, a, code, info);
        }
        inKernel = true; // the next resume, of whichever process, is the trap exit
        return outcome == Invocation.FAULT || outcome == Invocation.UNSUPPORTED ? Invocation.LEFT : outcome;
    }

    /** A ring-3 page fault: fill the PTE from the segment tree, or fault the process. */
    private int pageFault(int e, int a) {
        pageFaults++;
        int linear = cpu.cr2;
        boolean write = (trapError & 2) != 0;
        int space = UserMemory.spaceLocation(processes.rootNode(e));
        if (tables.handleFault(space, linear, write, walk)) {
            charge(CostModel.TLB_REFILL);
            return Invocation.RESUME; // EIP is at the faulting instruction: it runs again
        }
        if (walk.status() == WalkResult.NO_RESOURCES) {
            processes.setFault(e, FaultCode.NONE, linear);
            halt(e, a, "page fault at 0x" + Integer.toHexString(linear)
                + " found the object cache full of pinned objects (stalling for room is not implemented yet)");
            return Invocation.LEFT;
        }
        if (walk.keptNode() != NodeDescriptor.NONE) {
            // kernel.md §9: the innermost kept red segment's keeper hears of it first.
            int r = keeper.segmentFault(e, a, walk.keptNode(), walk.keptOffset(), walk.faultCode(), linear);
            if (r == KeeperUpcall.DELIVERED || r == KeeperUpcall.STALLED) {
                return Invocation.LEFT;
            }
        }
        return fault(e, a, walk.faultCode(), linear);
    }

    /** abi.md §5: the fault code of an IA-32 exception (or software interrupt) raised in ring 3. */
    static int faultCodeOf(int vector, boolean software) {
        if (software && vector != Vector.BP && vector != Vector.OF) {
            // INT n other than INT 0x31: the empty IDT makes it #GP, as hardware would.
            return FaultCode.VECTOR_BASE + Vector.GP;
        }
        switch (vector) {
            case Vector.DE:
                return FaultCode.DIV_ZERO;
            case Vector.UD:
                return FaultCode.BAD_OPCODE;
            case Vector.BP:
                return FaultCode.BREAKPOINT;
            default:
                return FaultCode.VECTOR_BASE + vector;
        }
    }

    /**
     * A process fault of entry {@code e} (activity {@code a} running): latches {@code code}
     * and {@code info} in the entry and makes the keeper upcall (kernel.md §9).
     */
    private int fault(int e, int a, int code, int info) {
        processFaults++;
        if (trace != null) {
            trace.fault(cpu.cycles, processes.rootOid(e), faultName(code), info);
        }
        processes.setFault(e, code, info);
        deliverFault(e, a);
        return Invocation.LEFT;
    }

    /**
     * The upcall for entry {@code e}'s latched fault; halts {@code e} if it cannot be made.
     * Either way activity {@code a} leaves the CPU (delivered: ended; stalled: queued on the
     * keeper; halted: ended).
     */
    private void deliverFault(int e, int a) {
        switch (keeper.upcall(e, a)) {
            case KeeperUpcall.DELIVERED:
            case KeeperUpcall.STALLED:
                return;
            case KeeperUpcall.KEEPER_UNLOADABLE:
                halt(e, a, String.format("fault %s (%d), and its keeper 0x%x cannot be loaded (malformed, or no room "
                    + "in the process table)", faultName(processes.faultCode(e)), processes.faultCode(e),
                    keeper.unloadableKeeper));
                return;
            case KeeperUpcall.NO_OBJECT_ROOM:
                halt(e, a, "fault " + faultName(processes.faultCode(e)) + " (" + processes.faultCode(e)
                    + "), and its keeper key's process cannot be brought into the full object cache");
                return;
            case KeeperUpcall.NO_RESUME_KEY:
                halt(e, a, "fault " + faultName(processes.faultCode(e)) + " (" + processes.faultCode(e)
                    + "), and its call count is exhausted (no fault resume key can be made)");
                return;
            default:
                halt(e, a, null); // no keeper
        }
    }

    /**
     * Halts entry {@code e}, whose fault is already recorded: ends its activity {@code a}
     * leaving it WAITING, and reports it. {@code why} replaces the fault text when given.
     */
    private void halt(int e, int a, String why) {
        settle(a);
        scheduler.exit(a, ProcessLayout.WAITING);
        if (lastEntry == e) {
            lastEntry = NONE;
        }
        reportHalt(e, why);
    }

    /** Adds entry {@code e}'s halt report: its fault (or {@code why}) and EIP. */
    private void reportHalt(int e, String why) {
        int code = processes.faultCode(e);
        String what = why != null ? why : "fault " + faultName(code) + " (" + code + ")";
        halts.add(String.format("process 0x%x halted: %s at EIP 0x%08x", processes.rootOid(e), what,
            processes.get(e, EIP_OFFSET)));
    }

    /**
     * A keeper replied to entry {@code t}'s fault resume key with result {@code result} other
     * than 0: the fault is not cleared and the process stays WAITING, halted.
     */
    void keeperDeclined(int t, int result) {
        int code = processes.faultCode(t);
        reportHalt(t, String.format("fault %s (%d), declined by its keeper (result 0x%x)", faultName(code), code,
            result));
    }

    private String unsupportedText() {
        int type = invocation.unsupportedType;
        if (type == Invocation.TARGET_UNLOADABLE) {
            return String.format("the process 0x%x named by a gate key (the invoked one, or the resume key a RETURN "
                + "answers through) cannot be loaded (malformed, or no room in the process table)",
                invocation.unsupportedOrder & 0xFFFFFFFFL);
        }
        if (type == Invocation.OBJECT_CACHE_FULL) {
            return "the object a " + KeyType.name(invocation.unsupportedOrder) + " key names cannot be brought in: "
                + "the object cache is full of pinned objects (stalling for room is not implemented yet)";
        }
        return KeyType.name(type) + " key order 0x" + Integer.toHexString(invocation.unsupportedOrder)
            + " is not implemented yet";
    }

    static String faultName(int code) {
        switch (code) {
            case FaultCode.NONE:
                return "NONE";
            case FaultCode.MALFORMED_SYSCALL:
                return "MALFORMED_SYSCALL";
            case FaultCode.INVALID_ADDR:
                return "INVALID_ADDR";
            case FaultCode.ACCESS_VIOLATION:
                return "ACCESS_VIOLATION";
            case FaultCode.TRAVERSE_LIMIT:
                return "TRAVERSE_LIMIT";
            case FaultCode.MALFORMED_SPACE:
                return "MALFORMED_SPACE";
            case FaultCode.NO_SCHEDULE:
                return "NO_SCHEDULE";
            case FaultCode.BREAKPOINT:
                return "BREAKPOINT";
            case FaultCode.BAD_OPCODE:
                return "BAD_OPCODE";
            case FaultCode.DIV_ZERO:
                return "DIV_ZERO";
            case FaultCode.MALFORMED_PROCESS:
                return "MALFORMED_PROCESS";
            default:
                return code >= FaultCode.VECTOR_BASE ? "VECTOR_" + Vector.name(code - FaultCode.VECTOR_BASE)
                    : "FAULT_" + code;
        }
    }

    // ------------------------------------------------------------------ kernel services

    /** Called by {@link CheckpointKeyOrders#take} after every checkpoint. */
    void checkpointTaken() {
        checkpointListener.run();
    }

    /**
     * Who hears of each checkpoint, after the store is flushed and consistent (e.g. to copy it
     * to the file the user named). Not a hot path: it may allocate and do I/O.
     */
    public void setCheckpointListener(Runnable listener) {
        this.checkpointListener = listener == null ? () -> { } : listener;
    }

    /** Checkpoints taken (periodic and CHECKPOINT TAKE). */
    public long checkpoints() {
        return invocation.checkpoints().taken();
    }

    /**
     * {@code erosim run --trace}: kernel events as text lines to {@code out} (see {@link Trace};
     * the caller buffers and closes it). Null turns tracing off.
     */
    public void setTrace(OutputStream out) {
        this.trace = out == null ? null : new Trace(out);
    }

    /** Flushes the trace, if any (at the end of a run). */
    public void flushTrace() {
        if (trace != null) {
            trace.flush();
        }
    }

    /** Trace events written. */
    public long traceEvents() {
        return trace == null ? 0 : trace.events();
    }

    /** SYSTRACE MARK by entry {@code e}: into the trace, if one is being written. */
    void traceMark(int e, int tag) {
        if (trace != null) {
            trace.mark(cpu.cycles, processes.rootOid(e), tag);
        }
    }

    /** Charges kernel cost {@code id}: the cycle counter (and so RDTSC) advances by it. */
    void charge(int id) {
        cpu.cycles += costs.charge(id);
    }

    /** Charges the copy of a string of {@code bytes}. */
    void chargeString(int bytes) {
        cpu.cycles += costs.chargeString(bytes);
    }

    /**
     * Guest cycles not yet billed: the interpreter's run before a trap ({@link #run}), or a
     * replayed trap's instruction ({@link #trapInKernel}). They are guest time (not in
     * the wasted cost of a retry, {@link #stallInvoker}), and go to the activity with the trap's kernel cycles at its
     * settle — one bill per trap instead of two. Invariant: 0 between traps; every path from
     * a trap to the end of its activity's turn settles (or, on STOP, bills them in afterRun)
     * before the activity is freed or handed to another process.
     */
    private long unbilledGuestCycles;

    /** Bills the kernel cycles charged since the last settle, and the turn's unbilled guest cycles, to activity {@code a} (its slice and process). */
    void settle(int a) {
        long bill = takeBill();
        if (bill != 0 && activities.isInUse(a)) {
            scheduler.charge(a, bill);
        }
    }

    /** The cycles a settle bills — kernel cycles since the last one, and unbilled guest cycles — now counted as billed. */
    private long takeBill() {
        long bill = cpu.cycles - settledAt + unbilledGuestCycles;
        unbilledGuestCycles = 0;
        settledAt = cpu.cycles;
        return bill;
    }

    /**
     * {@link #settle} for the activity of invoker {@code e} as it leaves the processor (a gate
     * hands it off, it ends, or it stalls): the cycles go to the process only. Its slice is
     * not updated, because nothing reads it again: a slice is read only while its activity
     * runs, and every dispatch starts a fresh one ({@code ActivityTable.dispatched}, and
     * {@code reuse} for a hand-off). One read-modify-write less on every gate trap and every
     * re-stall of a storm.
     */
    void settleLeaving(int e) {
        long bill = takeBill();
        if (bill != 0) {
            processes.addCycles(e, bill);
        }
    }

    /**
     * Invoker {@code e}, whose activity {@code a} is running, stalls on the stall queue of
     * loaded process {@code t} (a gate's busy target, a busy keeper): the dry run's last step,
     * nothing else has changed. The enqueue is charged; the trap's kernel cycles so far are
     * billed to {@code e} and, if {@code a} was retrying, counted as the wasted retry's cost
     * (read before the settle, which starts the next count at 0).
     */
    void stallInvoker(int e, int a, int t) {
        charge(CostModel.STALL_ENQUEUE);
        long retryCycles = cpu.cycles - settledAt;
        settleLeaving(e);
        scheduler.stallInvoker(a, e, t, retryCycles);
    }

    long cycles() {
        return cpu.cycles;
    }

    // For the kernel-key orders (SYSTRACE counters, CHECKPOINT TAKE, PAGE ZERO/CLONE).

    PageTableCache tables() {
        return tables;
    }

    PhysicalMemory memory() {
        return memory;
    }

    long traps() {
        return traps;
    }

    long pageFaults() {
        return pageFaults;
    }

    long processFaults() {
        return processFaults;
    }

    /** CONSOLE WRITE: bytes to the run's console output. */
    void console(byte[] bytes, int length) {
        try {
            console.write(bytes, 0, length);
        } catch (IOException e) {
            throw new UncheckedIOException("console output failed", e);
        }
    }

    // ------------------------------------------------------------------ results

    /** The run's exit status for {@code end} (docs/run.md). */
    public int exitStatus(RunEnd end) {
        switch (end) {
            case STOPPED:
                return invocation.stopStatus & 0xFF;
            case IDLE:
                return 0;
            case CYCLE_LIMIT:
                return RunEnd.STATUS_CYCLE_LIMIT;
            default:
                return RunEnd.STATUS_HALTED;
        }
    }

    /** The STOP_RUN status word as the guest passed it. */
    public int stopWord() {
        return invocation.stopStatus;
    }

    /** Halt reports and, if the system is deadlocked, who is stalled where. */
    public List<String> report() {
        List<String> lines = new ArrayList<>(halts);
        lines.addAll(scheduler.deadlockReport());
        return lines;
    }

    /** Per-process cycles and state, invocation counters and the cost breakdown (--stats). */
    public String stats() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("cycles %,d (kernel %,d), instructions %,d, traps %,d (%,d replayed), page faults %,d, "
            + "process faults %,d%n", cpu.cycles - startCycles, costs.total(), cpu.instructions, traps, trapsReplayed,
            pageFaults, processFaults));
        b.append(String.format("%-14s %-9s %16s %12s %8s %6s%n", "process", "state", "cycles", "invocations",
            "stalls", "fault"));
        for (int e = 0; e < processes.capacity(); e++) {
            if (!processes.isInUse(e)) {
                continue;
            }
            int state = processes.runState(e);
            b.append(String.format("%-14s %-9s %,16d %,12d %,8d %6s%n", "0x" + Long.toHexString(processes.rootOid(e)),
                state == ProcessLayout.AVAILABLE ? "AVAILABLE" : state == ProcessLayout.RUNNING ? "RUNNING" : "WAITING",
                processes.cycles(e), processes.counter(e, INVOCATIONS_OFFSET), processes.counter(e, STALLS_OFFSET),
                processes.faultCode(e) == 0 ? "-" : faultName(processes.faultCode(e))));
        }
        b.append("invocations by type:");
        String[] types = {"RETURN", "PRETURN", "CALL", "PCALL", "SEND", "PSEND", "QPOST"};
        for (int t = 0; t < types.length; t++) {
            b.append(' ').append(types[t]).append('=').append(invocation.byInvocationType[t]);
        }
        b.append(String.format("%ninvocations by key:"));
        for (int t = 0; t < KeyType.COUNT; t++) {
            if (invocation.byKeyType[t] != 0) {
                b.append(' ').append(KeyType.name(t)).append('=').append(invocation.byKeyType[t]);
            }
        }
        b.append(String.format("%ngate invocations %d, gate stalls %d, malformed invocations %d, trace marks %d, "
            + "kernel PTE fills %d%n", invocation.gateInvocations, invocation.stalls, invocation.malformed,
            invocation.marks, user.fills()));
        b.append(String.format("keepers: upcalls %d (segment keepers %d), upcalls stalled on a busy keeper %d, "
            + "fault resume keys invoked %d, red segment invocations redirected to a keeper %d%n", keeper.upcalls,
            keeper.segmentUpcalls, keeper.stalls, invocation.faultRestarts, invocation.redirections));
        b.append(String.format("queued posts: queued %d, fired at once %d, fired after waiting %d, fired "
            + "prematurely %d, delivered %d, dropped %d, refused NO_RESOURCES %d, refused REQUEST_ERROR %d, gate waits %d, "
            + "target waits %d, waiting now %d%n", posts.queued, posts.firedAtOnce, posts.firedAfterWait, posts.premature,
            posts.delivered, posts.dropped, posts.refusedNoResources, posts.refusedBadGate, posts.gateWaits,
            posts.targetWaits, posts.table().inUse()));
        if (invocation.checkpoints().taken() != 0) {
            b.append(String.format("checkpoints taken %d%n", invocation.checkpoints().taken()));
        }
        b.append(String.format("keeper rewake %s: rewakes %d, sleepers woken %d%n", rewake.isEnabled() ? "on" : "off",
            rewake.rewakes(), rewake.sleepersWoken()));
        if (invocation.sendsRefused != 0) {
            b.append(String.format("SENDs refused for a full activity or process table (NO_RESOURCES): %d%n",
                invocation.sendsRefused));
        }
        b.append(String.format("stall queues: enqueues %d, wakeups %d, retries %d, re-stalls %d, wasted retry cycles %d%n",
            scheduler.enqueues(), scheduler.wakeups(), scheduler.retries(), scheduler.restalls(),
            scheduler.wastedRetryCycles()));
        b.append(String.format("process table: loads %d, unloads %d (%d with sleepers woken), victims %d%n",
            processes.loads(), processes.unloads(), processes.unloadsWithSleepers(), processes.victims()));
        b.append(costs.breakdown());
        return b.toString();
    }

    public ObjectCache cache() {
        return cache;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The consistency checker of kernel.md §12 on this machine's state, between two
     * activities: the object cache (keys, rings, counts), the scheduler (queues, run states)
     * and the queued posts (pool, activities, gate lists). An empty list means consistent.
     * Allocates; not for hot paths.
     */
    public List<String> consistencyFindings() {
        List<String> findings = new ArrayList<>(new ConsistencyChecker(cache).check());
        findings.addAll(new SchedulerChecker(scheduler).check());
        findings.addAll(new PostChecker(posts.table(), activities, cache.nodes(), options.postRecheck).check());
        return findings;
    }

    public ProcessTable processes() {
        return processes;
    }

    public CostAccount costs() {
        return costs;
    }

    /** Cycles since {@link #boot}. */
    public long elapsedCycles() {
        return cpu.cycles - startCycles;
    }

    // Read-only counters for the storm profiler (erosim storm); the same as --stats prints.

    /** Queued posts made (QPOST answered OK). */
    public long postsQueued() {
        return posts.queued;
    }

    /** Queued posts delivered to their targets. */
    public long postsDelivered() {
        return posts.delivered;
    }

    /** Queued posts that fired because their gate left memory while closed (kernel.md §11). */
    public long postsFiredPrematurely() {
        return posts.premature;
    }

    /** Queued posts dropped (void or revoked target). */
    public long postsDropped() {
        return posts.dropped;
    }

    /** Invocations of kept red segment keys redirected to a keeper (every retry counts again). */
    public long redirections() {
        return invocation.redirections;
    }

    /** The keeper-rewake listener (its rewakes and sleepers woken). */
    public KeeperRewake keeperRewake() {
        return rewake;
    }

    /** Trace marks recorded (SYSTRACE MARK). */
    public long marks() {
        return invocation.marks;
    }

    @Override
    public void close() {
        memory.close();
    }

    // ------------------------------------------------------------------ benchmark support
    // For the JMH ipc suite (bench, IpcRoundTripBenchmark) and its tests; a run never uses
    // them. What they add to the dispatcher is one comparison per dispatch in run().

    /** run() also ends once the gate-invocation counter reaches this; Long.MAX_VALUE outside {@link #runGateInvocations}. */
    private long gateTarget = Long.MAX_VALUE;

    /** Gate invocations (START and RESUME keys) committed since the machine was built. */
    public long gateInvocations() {
        return invocation.gateInvocations;
    }

    /**
     * Runs as {@link #run(long)} does, but also stops at the top of the dispatcher loop once
     * {@code n} more gate invocations have committed: a benchmark's unit of work that does not
     * depend on the cost model. Every trap returns to the loop top, so the count is exact.
     * Returns {@link RunEnd#CYCLE_LIMIT} both when the {@code n} invocations are done and when
     * {@code limit} was reached first ({@link #gateInvocations()} tells which), or how the
     * run ended otherwise. Allocation-free, as run() is.
     */
    public RunEnd runGateInvocations(long n, long limit) {
        gateTarget = invocation.gateInvocations + n;
        RunEnd end = run(limit);
        gateTarget = Long.MAX_VALUE;
        return end;
    }

    /** Queued posts whose records are in use (waiting on a gate or a target). */
    public int postsWaiting() {
        return posts.table().inUse();
    }

    /** {@link #trapWithoutGuest}: no activity was ready to run. */
    static final int NOTHING_READY = -1;
    /**
     * {@link #trapWithoutGuest}: the activity dispatched was handled in the kernel without a
     * trap: a queued post evaluated, or a latched fault's keeper upcall.
     */
    static final int POST_STEPPED = -2;

    /**
     * One pass of the dispatcher loop of {@link #run(long)} with the interpreter left out
     * (see {@link KernelPathDriver}): dispatches the next activity and enters its process
     * as run() does (trap-exit, context-switch and address-space-switch charges, its space in
     * CR3); then, in place of the guest instructions, takes the trap that an {@code INT 0x31}
     * at linear address {@code trapAddress} raises, charging no instruction — EIP just after
     * it, the other registers as the process left them — and handles it as run() does
     * ({@link #trapInKernel}: the registers never pass through the CPU, as in a trap
     * replay). Returns {@link Invocation#RESUME},
     * {@link Invocation#LEFT} or {@link Invocation#STOP}, {@link #NOTHING_READY}, or
     * {@link #POST_STEPPED} when the activity was handled without a trap (a queued post, a
     * latched fault).
     * Keep in step with run(). Allocation-free.
     */
    int trapWithoutGuest(int trapAddress) {
        int a = scheduler.dispatch();
        if (a == ActivityDescriptor.NONE) {
            return NOTHING_READY;
        }
        int e = entryToResume(a); // as run() does
        if (e == NONE) {
            return POST_STEPPED;
        }
        enter(e);
        return trapInKernel(e, a, trapAddress, 0);
    }

    // ------------------------------------------------------------------ trap replay

    /** {@link #replayTrap}: not replayed; the CPU is to run the process. Distinct from every outcome. */
    private static final int NOT_REPLAYED = -1;

    /**
     * Trap replay: a retry (an activity woken from a stall queue, kernel.md §6) re-executes
     * its trap, and when entry {@code e}'s next instruction is {@code INT 0x31} the kernel
     * executes that one instruction itself instead of loading the registers into the CPU,
     * interpreting the instruction and saving them back. Everything the CPU would do is done
     * the same way: the resume's charges, the instruction's cycles (one instruction, billed to
     * the slice), EIP past it and EFLAGS as the CPU saves them, then the trap. Emulated cycles,
     * counters and every register the guest can see are those of the interpreted run
     * (TrapReplayRunTest and TrapReplayStormTest compare whole runs with it on and off,
     * TrapReplayTest the cases it declines).
     *
     * <p>Declined ({@link #NOT_REPLAYED}, nothing changed but {@link #enter}, which the
     * resume then repeats without charging again) when the CPU would do more than take the
     * trap: the single-step flag is set (#DB after the instruction), or the bytes at EIP are
     * not CD 31 in a page the page tables as they stand let the process read (a fetch that
     * faults, a page not yet filled, an instruction straddling pages, or other code: a
     * process stalled in a page fault, or whose EIP was set while it slept).
     */
    private int replayTrap(int e, int a) {
        if ((processes.get(e, EFLAGS_OFFSET) & Flags.TF) != 0) {
            return NOT_REPLAYED;
        }
        enter(e);
        int eip = processes.get(e, EIP_OFFSET);
        if (!user.trapAt(eip)) {
            return NOT_REPLAYED;
        }
        trapsReplayed++;
        return trapInKernel(e, a, eip, cpu.cycleTable.softwareInterrupt);
    }

    /**
     * Entry {@code e} (activity {@code a}, entered) takes the trap of an {@code INT 0x31} at
     * {@code trapAddress}, the CPU left out: the entry's EIP just after it and its EFLAGS as
     * the CPU would save them (the other registers are the entry's already), the instruction's
     * {@code instructionCycles} (0: no guest instruction is counted, the kernel-path driver),
     * then the trap handled as run() does: the invocation (a fault halts the process), the
     * kernel cycles billed to the activity, preemption when its slice is spent
     * ({@link #afterRun}). Returns {@link Invocation#RESUME}, {@link Invocation#LEFT} or
     * {@link Invocation#STOP}. Keep in step with run().
     */
    private int trapInKernel(int e, int a, int trapAddress, int instructionCycles) {
        processes.set(e, EIP_OFFSET, trapAddress + Invocation.TRAP_LENGTH);
        processes.set(e, EFLAGS_OFFSET, savedEflags(processes.get(e, EFLAGS_OFFSET)));
        if (instructionCycles != 0) {
            cpu.cycles += instructionCycles;
            settledAt += instructionCycles; // guest time, not kernel time (nor a retry's cost)
            cpu.instructions++;
            // Billed to the slice and process with the trap's kernel cycles at its settle, as
            // run() bills the interpreter's cycles.
            unbilledGuestCycles = instructionCycles;
        }
        scheduler.advanceTo(cpu.cycles);
        trapVector = TRAP_VECTOR;
        trapError = 0;
        trapSoftware = true;
        return afterRun(a, handleTrap(e, a));
    }

    /**
     * The EFLAGS a process saved with {@code stored} has after a resume and a save with no
     * flag-changing instruction between: what {@link #loadRegisters} gives the CPU (the user
     * flags, IF set) as {@link Cpu#eflags} reads it back (the supported bits, bit 1 set).
     */
    private static int savedEflags(int stored) {
        return (((stored & USER_FLAGS) | Flags.IF) & Flags.SUPPORTED) | Flags.FIXED1;
    }

    /** Traps taken by {@link #replayTrap} instead of the interpreter. */
    public long trapsReplayed() {
        return trapsReplayed;
    }
}
