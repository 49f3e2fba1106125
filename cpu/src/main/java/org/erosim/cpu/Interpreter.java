package org.erosim.cpu;

/**
 * The instruction loop: looks up pre-decoded blocks, executes them, delivers exceptions and
 * external interrupts between blocks, and idles on HLT.
 *
 * <p>Per instruction the loop does: set EIP to the next instruction, call {@code exec},
 * add the instruction's cycles, check {@code exitBlock}. Everything else (interrupts, timer
 * events, TF single-step, shadow after MOV SS/STI) is handled at block boundaries; blocks
 * are cut to a single instruction whenever one of those needs instruction granularity.
 *
 * <p>Invariant: on return, the CPU is at an instruction boundary and
 * {@code instructions} counts the instructions that completed plus those that faulted
 * (so every run is bounded by its budget, even a guest looping on an exception). An
 * accepted external interrupt, and a device event idled to in HLT, also consume one unit of
 * the budget each, though they are not instructions: otherwise a source that requests again
 * before the handler's first instruction (a fast timer behind a trap gate), or a periodic
 * timer whose requests are masked while the CPU halts with IF set, would keep {@link #run}
 * from returning. {@link #budgetUsed} counts the same units, so that a caller spreading one
 * budget over several runs (a machine's instruction limit, the GDB stub's continue) ends
 * with it too.
 */
public final class Interpreter {
    /** Why {@link #run} returned. */
    public enum Stop {
        /** The instruction budget is spent. */
        BUDGET,
        /** HLT with interrupts disabled (or with no interrupt source). */
        HALTED,
        /** Triple fault or another unrecoverable state. */
        SHUTDOWN,
        /** A device or hook asked the run to end ({@link #requestStop}). */
        REQUESTED
    }

    private final Cpu c;
    private boolean stopRequested;
    /** Full block lookups (TLB + code page) and lookups avoided by block links (statistics). */
    private long lookups;
    private long linkHits;
    /** Instructions retired inside compiled blocks (the rest were interpreted). */
    private long compiledInstructions;
    /** Accepted interrupts and device events idled to in HLT, over every run: the budget units that are not instructions. */
    private long eventUnits;

    public Interpreter(Cpu cpu) {
        this.c = cpu;
    }

    public Cpu cpu() {
        return c;
    }

    public long blockLookups() {
        return lookups;
    }

    public long blockLinkHits() {
        return linkHits;
    }

    public long compiledInstructions() {
        return compiledInstructions;
    }

    /** Ends {@link #run} at the next instruction boundary (e.g. isa-debug-exit written). */
    public void requestStop() {
        stopRequested = true;
        c.exitBlock = true;
    }

    /**
     * Budget units spent over every {@link #run}: the CPU's instructions, and the accepted
     * interrupts and device events idled to in HLT (see the class comment).
     */
    public long budgetUsed() {
        return c.instructions + eventUnits;
    }

    /** Executes at most {@code budget} units: instructions, accepted interrupts and device events idled to in HLT. */
    public Stop run(long budget) {
        Cpu c = this.c;
        long end = c.instructions + budget;
        long events = 0; // interrupts accepted and events idled to in this run, see the class comment
        stopRequested = false;
        Block last = null;
        while (true) {
            if (c.shutdown) {
                return Stop.SHUTDOWN;
            }
            if (stopRequested) {
                return Stop.REQUESTED;
            }
            InterruptSource src = c.interrupts;
            if (src != null && c.cycles >= src.nextEventCycle()) {
                src.advanceTo(c.cycles);
            }
            boolean shadow = c.interruptShadow;
            c.interruptShadow = false;
            if (src != null && !shadow && (c.eflags & Flags.IF) != 0 && src.pending()) {
                if (c.instructions + events >= end) {
                    return Stop.BUDGET;
                }
                events++;
                eventUnits++;
                int v = src.acknowledge();
                c.cycles += c.cycleTable.exception;
                last = null;
                Interrupts.external(c, v);
                continue;
            }
            if (c.halted) {
                if (src == null || (c.eflags & Flags.IF) == 0) {
                    return Stop.HALTED;
                }
                long next = src.nextEventCycle();
                if (next == Long.MAX_VALUE) {
                    return Stop.HALTED;
                }
                if (c.instructions + events >= end) {
                    return Stop.BUDGET;
                }
                events++;
                eventUnits++;
                c.cycles = Math.max(c.cycles, next); // idle until the next device event
                continue;
            }
            long left = end - c.instructions - events;
            if (left <= 0) {
                return Stop.BUDGET;
            }
            Block b = nextBlock(last);
            if (b == null) {
                last = null; // the fetch faulted and the fault was delivered
                continue;
            }
            int n = b.insns.length;
            boolean single = shadow || (c.eflags & Flags.TF) != 0;
            if (single || n > left) {
                n = single ? 1 : (int) left;
                boolean trapAfter = (c.eflags & Flags.TF) != 0;
                boolean completed = execute(b, n);
                last = completed && !trapAfter ? b : null;
                if (completed && trapAfter && !c.shutdown) {
                    c.dr[6] |= 0x4000; // BS: single-step trap
                    Interrupts.exception(c, Vector.DB, 0, false);
                }
                continue;
            }
            last = runChained(b, end, src != null ? src.nextEventCycle() : Long.MAX_VALUE);
        }
    }

    /**
     * Executes {@code b} and then its successors back to back, without returning to the
     * outer loop, for as long as nothing needs the outer loop's attention: no instruction
     * set the exit flag (mode or IF change, HLT, I/O, code invalidation, ...), no device
     * event is due and the next block fits in the budget. Taken branches just continue
     * with the successor block, found through the block links.
     *
     * @return the last block completed, for linking; null after a fault
     */
    private Block runChained(Block b, long end, long eventCycle) {
        Cpu c = this.c;
        c.eventCycle = eventCycle;
        while (true) {
            boolean ok = b.compiled != null ? executeCompiled(b, end) : execute(b, b.insns.length);
            if (!ok) {
                return null;
            }
            if (c.exitBlock || c.interruptShadow || c.cycles >= eventCycle) {
                return b;
            }
            Block next = nextBlock(b);
            if (next == null) {
                return null;
            }
            if (next.insns.length > end - c.instructions) {
                return b; // the outer loop cuts the block to the budget (and re-finds it by its link)
            }
            b = next;
        }
    }

    /**
     * The block at CS:EIP: through {@code last}'s links when they are valid, otherwise by a
     * full lookup (which then becomes a link). Returns null if the fetch faulted; the fault
     * has been delivered.
     */
    private Block nextBlock(Block last) {
        Block b = linked(last);
        if (b != null) {
            linkHits++;
            return b;
        }
        lookups++;
        try {
            b = c.codeCache.lookup();
        } catch (CpuFault f) {
            c.instructions++; // a faulting fetch counts too (see execute)
            c.cycles += c.cycleTable.exception;
            Interrupts.exception(c, f.vector, f.errorCode, f.hasErrorCode);
            return null;
        }
        link(last, b);
        return b;
    }

    /**
     * The block linked from {@code last} for the current EIP, if the link is still valid:
     * this skips the TLB and code-page lookup on the common path (loops, fall-through).
     */
    private Block linked(Block last) {
        if (last == null || last.linkTlbEpoch != c.tlb.epoch || last.linkCodeEpoch != c.codeEpoch) {
            return null;
        }
        int eip = c.eip;
        Block b = last.link0;
        if (b != null && b.eip == eip) {
            return b;
        }
        b = last.link1;
        if (b != null && b.eip == eip) {
            return b;
        }
        return null;
    }

    /** Records {@code next} as a successor of {@code last} (replacing one of two links). */
    private void link(Block last, Block next) {
        if (last == null || next.insns.length == 0 || next.uncached) {
            return;
        }
        if (last.linkTlbEpoch != c.tlb.epoch || last.linkCodeEpoch != c.codeEpoch) {
            last.link0 = null;
            last.link1 = null;
            last.linkTlbEpoch = c.tlb.epoch;
            last.linkCodeEpoch = c.codeEpoch;
        }
        if (last.replaceLink1) {
            last.link1 = next;
        } else {
            last.link0 = next;
        }
        last.replaceLink1 = !last.replaceLink1;
    }

    /**
     * Runs a whole compiled block (several passes if it loops to itself, within the budget
     * up to {@code end}); returns false if one of its instructions faulted.
     */
    private boolean executeCompiled(Block b, long end) {
        Cpu c = this.c;
        c.exitBlock = false;
        c.chainBudget = (int) Math.min(end - c.instructions, Integer.MAX_VALUE / 2);
        try {
            int done = b.compiled.run(c);
            c.instructions += done;
            compiledInstructions += done;
            return true;
        } catch (CpuFault f) {
            int k = c.faultIndex;
            fault(f, b.insns[k], c.faultLoopDone + k);
            return false;
        }
    }

    /**
     * Delivers a fault raised by {@code i} after {@code completed} instructions of its
     * block. The faulting instruction counts as executed, so a guest stuck in a fault loop
     * still exhausts its instruction budget. EIP goes back to the faulting instruction,
     * except for a fault raised after a task switch's commit point, which belongs to the
     * new task at its EIP.
     */
    private void fault(CpuFault f, Insn i, int completed) {
        Cpu c = this.c;
        c.instructions += completed + 1;
        if (!f.afterCommit) {
            c.eip = i.eip;
        }
        c.cycles += c.cycleTable.exception;
        Interrupts.exception(c, f.vector, f.errorCode, f.hasErrorCode);
    }

    /** Runs {@code n} instructions of a block; returns false if one of them faulted. */
    private boolean execute(Block b, int n) {
        Cpu c = this.c;
        Insn[] insns = b.insns;
        if (++b.hits == c.codeCache.compiler.threshold && !b.uncached && insns.length > 1) { // 0: never
            b.compiled = c.codeCache.compiler.compile(b);
        }
        c.exitBlock = false;
        int k = 0;
        Insn i = null;
        try {
            while (k < n) {
                i = insns[k];
                c.eip = i.next;
                i.exec(c);
                c.cycles += i.cycles;
                k++;
                if (c.exitBlock || c.eip != i.next) {
                    break; // exit requested, or a conditional branch was taken
                }
            }
            c.instructions += k;
            return true;
        } catch (CpuFault f) {
            fault(f, i, k);
            return false;
        }
    }

    /** Executes exactly one instruction (or delivers one pending event); for debuggers and tests. */
    public Stop step() {
        return run(1);
    }
}
