package org.erosim.kernel.abi;

/** Fault codes delivered to keepers and kept in a process's root node ({@code abi.md} §5). */
public final class FaultCode {
    public static final int NONE = 0;
    public static final int MALFORMED_SYSCALL = 1;
    public static final int INVALID_ADDR = 4;
    public static final int ACCESS_VIOLATION = 6;
    public static final int TRAVERSE_LIMIT = 12;
    public static final int MALFORMED_SPACE = 13;
    public static final int NO_SCHEDULE = 33;
    public static final int BREAKPOINT = 34;
    public static final int BAD_OPCODE = 36;
    public static final int DIV_ZERO = 38;
    public static final int MALFORMED_PROCESS = 50;
    /** An IA-32 exception vector without a code of its own: {@code VECTOR_BASE + vector}. */
    public static final int VECTOR_BASE = 0x100;

    /** Keeper upcall order codes. */
    public static final int PROCESS_FAULT = 0xFFFF0001;
    public static final int SEGMENT_FAULT = 0xFFFF0002;

    private FaultCode() {
    }
}
