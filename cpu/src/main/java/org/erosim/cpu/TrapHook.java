package org.erosim.cpu;

/**
 * Lets the host intercept interrupts and exceptions before they are delivered through the
 * IDT. The capability kernel uses it: {@code INT 0x31} and every ring-3 exception enter the
 * Java kernel instead of guest ring-0 code.
 */
public interface TrapHook {
    /**
     * Called for a software interrupt (INT n, INT3, INTO) or an exception before delivery.
     * EIP is already at the instruction after a trap, or at the faulting instruction for a
     * fault. Return true if the host handled it (the CPU then does not deliver it).
     *
     * @param software true for INT n / INT3 / INTO, false for exceptions
     */
    boolean trap(Cpu cpu, int vector, int errorCode, boolean hasErrorCode, boolean software);
}
