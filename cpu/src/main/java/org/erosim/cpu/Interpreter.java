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
 * from returning.
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

    public Interpreter(Cpu cpu) {
        this.c = cpu;
    }

    public Cpu cpu() {
        return c;
    }

    /** Ends {@link #run} at the next instruction boundary (e.g. isa-debug-exit written). */
    public void requestStop() {
        stopRequested = true;
        c.exitBlock = true;
    }

    /** Executes at most {@code budget} instructions. */
    public Stop run(long budget) {
        Cpu c = this.c;
        long end = c.instructions + budget;
        long events = 0; // interrupts accepted and events idled to in this run, see the class comment
        stopRequested = false;
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
                int v = src.acknowledge();
                c.cycles += c.cycleTable.exception;
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
                c.cycles = Math.max(c.cycles, next); // idle until the next device event
                continue;
            }
            long left = end - c.instructions - events;
            if (left <= 0) {
                return Stop.BUDGET;
            }
            Block b;
            try {
                b = c.codeCache.lookup();
            } catch (CpuFault f) {
                c.instructions++; // a faulting fetch counts too (see execute)
                c.cycles += c.cycleTable.exception;
                Interrupts.exception(c, f.vector, f.errorCode, f.hasErrorCode);
                continue;
            }
            int n = b.insns.length;
            boolean single = shadow || (c.eflags & Flags.TF) != 0;
            if (single || n > left) {
                n = single ? 1 : (int) left;
            }
            boolean trapAfter = (c.eflags & Flags.TF) != 0;
            if (execute(b.insns, n) && trapAfter && !c.shutdown) {
                c.dr[6] |= 0x4000; // BS: single-step trap
                Interrupts.exception(c, Vector.DB, 0, false);
            }
        }
    }

    /** Runs {@code n} instructions of a block; returns false if one of them faulted. */
    private boolean execute(Insn[] insns, int n) {
        Cpu c = this.c;
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
                if (c.exitBlock) {
                    break;
                }
            }
            c.instructions += k;
            return true;
        } catch (CpuFault f) {
            // a faulting instruction counts as executed, so a guest stuck in a fault loop
            // still exhausts its instruction budget
            c.instructions += k + 1;
            c.eip = i.eip;
            c.cycles += c.cycleTable.exception;
            Interrupts.exception(c, f.vector, f.errorCode, f.hasErrorCode);
            return false;
        }
    }

    /** Executes exactly one instruction (or delivers one pending event); for debuggers and tests. */
    public Stop step() {
        return run(1);
    }
}
