package org.erosim.cpu;

/**
 * An architectural exception raised while executing an instruction (#GP, #PF, #UD, ...).
 *
 * <p>Faults unwind the executor to the instruction loop, which restores EIP to the faulting
 * instruction and delivers the exception through the IDT/IVT. One instance per CPU is
 * reused; it carries no stack trace, so raising one costs no allocation and no stack walk.
 * It is never used for ordinary control flow (branches, INT n, traps to the kernel).
 */
public final class CpuFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    int vector;
    int errorCode;
    boolean hasErrorCode;
    /**
     * Raised after the commit point of a task switch: the fault belongs to the new task, whose
     * EIP is already loaded, so the interpreter must not restore the faulting instruction's EIP.
     */
    boolean afterCommit;

    CpuFault() {
        super(null, null, false, false);
    }

    CpuFault set(int vector, int errorCode, boolean hasErrorCode) {
        this.vector = vector;
        this.errorCode = errorCode;
        this.hasErrorCode = hasErrorCode;
        this.afterCommit = false;
        return this;
    }

    public int vector() {
        return vector;
    }

    public int errorCode() {
        return errorCode;
    }

    public boolean hasErrorCode() {
        return hasErrorCode;
    }

    @Override
    public String getMessage() {
        return "exception " + vector + (hasErrorCode ? " error code 0x" + Integer.toHexString(errorCode) : "");
    }
}
