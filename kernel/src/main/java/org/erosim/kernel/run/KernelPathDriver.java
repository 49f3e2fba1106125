package org.erosim.kernel.run;

import org.erosim.kernel.sched.ActivityDescriptor;

/**
 * Drives a {@link KernelMachine}'s invocation path without executing guest instructions: the
 * "kernel path only" variant of the IPC benchmarks (quality.md, tools.md {@code ipc}).
 *
 * <p>Each {@link #trap()} is one pass of the dispatcher in which the interpreter's part is
 * replaced by the trap itself: the next activity is dispatched and its process resumed
 * (registers and CR3 loaded, trap-exit / context-switch / address-space-switch costs
 * charged), then the process takes the {@code INT 0x31} trap that an instruction at
 * {@link #trapAddress()} raises and the kernel handles it exactly as in a run — descriptor
 * decode through the MMU, key preparation, gate check, stall or commit, word and key
 * transfer, resume-key fabrication and consumption, run-state changes, scheduler. Nothing is
 * shortcut: a process whose descriptor is malformed is halted, a CALL on a busy server
 * stalls, and a woken activity re-executes its trap on its next {@link #trap()}.
 *
 * <p>Precondition: in every process the machine will dispatch, the instruction at
 * {@link #trapAddress()} is {@code INT 0x31} and EBP already points at that process's
 * descriptor; this is the state a guest loop {@code t: int $0x31; jmp t} would trap in each
 * time. Other registers stay as the kernel last left them (the words a process sends are the
 * ones it last received). Allocation-free.
 */
public final class KernelPathDriver {
    /** {@link #trap()}: the invoker goes on running (SEND, or a kernel-key CALL). */
    public static final int RESUMED = Invocation.RESUME;
    /** {@link #trap()}: the invoker left the processor (CALL, RETURN, a stall, or a fault). */
    public static final int LEFT = Invocation.LEFT;
    /** {@link #trap()}: SYSTRACE STOP_RUN was invoked. */
    public static final int STOPPED = Invocation.STOP;
    /** {@link #trap()}: no activity was ready, so no trap was taken. */
    public static final int NOTHING_READY = KernelMachine.NOTHING_READY;
    /**
     * {@link #trap()}: the activity dispatched was handled in the kernel without a trap: a
     * queued post evaluated (it fired or waits again), or a latched fault's keeper upcall.
     */
    public static final int POST = KernelMachine.POST_STEPPED;

    private final KernelMachine machine;
    private final int trapAddress;

    /** Drives {@code machine} (booted) whose processes have their trap at linear {@code trapAddress}. */
    public KernelPathDriver(KernelMachine machine, int trapAddress) {
        this.machine = machine;
        this.trapAddress = trapAddress;
    }

    public int trapAddress() {
        return trapAddress;
    }

    /**
     * Dispatches the next activity and handles the invocation its process makes by trapping
     * at {@link #trapAddress()}. Returns {@link #RESUMED}, {@link #LEFT}, {@link #STOPPED} or
     * {@link #NOTHING_READY}, or {@link #POST} if the activity was handled without a trap.
     */
    public int trap() {
        return machine.trapWithoutGuest(trapAddress);
    }

    /**
     * Moves the running activity, if any, to the tail of the ready queue, as the dispatcher
     * does when a slice is spent: lets the process a SEND started run before the sender
     * traps again. Returns false if nothing was running.
     */
    public boolean yieldRunning() {
        int a = machine.scheduler().current();
        if (a == ActivityDescriptor.NONE) {
            return false;
        }
        machine.scheduler().preempt(a);
        return true;
    }
}
