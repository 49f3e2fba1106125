package org.erosim.cpu;

/**
 * Where external maskable interrupts come from (the 8259A pair on the bare-metal board).
 *
 * <p>The interpreter polls {@link #pending()} at instruction-block boundaries and, when
 * EFLAGS.IF allows, calls {@link #acknowledge()} for the vector (the INTA cycle).
 */
public interface InterruptSource {
    /** True if INTR is asserted. */
    boolean pending();

    /** The INTA cycle: returns the vector and clears the request. */
    int acknowledge();

    /**
     * Emulated cycle count at which a device next needs attention (timer expiry), or
     * {@code Long.MAX_VALUE}. Lets HLT skip idle time deterministically.
     */
    default long nextEventCycle() {
        return Long.MAX_VALUE;
    }

    /** Called when emulated time reaches {@link #nextEventCycle()} (or later). */
    default void advanceTo(long cycle) {
    }
}
