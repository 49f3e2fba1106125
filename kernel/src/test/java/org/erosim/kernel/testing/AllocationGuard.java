package org.erosim.kernel.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

/**
 * The unit-level allocation guard behind the kernel's 0 B/op claims (kernel.md §15): runs a
 * warmed-up round of work repeatedly and requires {@code cleanRounds} consecutive rounds
 * that allocate 0 bytes on the calling thread.
 *
 * <p>Why consecutive clean rounds and not "every round": while the JIT still recompiles,
 * a deoptimisation now and then allocates a few dozen bytes once (measured 48-288 bytes in
 * a round, only around "made not entrant" events; the same loops under -Xint allocate 0
 * in every round). A real allocation on a hot path costs at least 16 bytes per iteration in
 * every round, so it never yields a clean round.
 */
public final class AllocationGuard {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationGuard() {
    }

    /**
     * Fails unless {@code cleanRounds} consecutive runs of {@code round} allocate nothing
     * within {@code maxRounds} runs; returns the number of runs it took. Warm up first.
     */
    public static int assertSteadyStateAllocatesNothing(String what, Runnable round, int cleanRounds, int maxRounds) {
        try {
            return assertSteadyState(what, () -> {
                long before = allocatedBytes();
                round.run();
                return allocatedBytes() - before;
            }, cleanRounds, maxRounds);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(what, e); // not reached: a Runnable throws nothing checked
        }
    }

    /**
     * One round that measures itself: does its setup, then the measured work between two
     * readings of {@link #allocatedBytes}, and returns the difference. For rounds whose
     * setup allocates (a fresh machine per round, say).
     */
    @FunctionalInterface
    public interface MeasuredRound {
        long allocated() throws Exception;
    }

    /**
     * Fails unless {@code cleanRounds} consecutive rounds report 0 bytes allocated within
     * {@code maxRounds} rounds; returns the number of rounds it took.
     */
    public static int assertSteadyState(String what, MeasuredRound round, int cleanRounds, int maxRounds)
        throws Exception {
        assertTrue(THREADS.isThreadAllocatedMemorySupported(), "this JVM cannot measure allocation per thread");
        THREADS.setThreadAllocatedMemoryEnabled(true);
        StringBuilder history = new StringBuilder();
        int clean = 0;
        int rounds = 0;
        while (clean < cleanRounds) {
            if (rounds++ >= maxRounds) {
                throw new AssertionError(what + ": no " + cleanRounds + " consecutive allocation-free rounds in "
                    + maxRounds + "; bytes per round: " + history);
            }
            long bytes = round.allocated();
            history.append(bytes).append(' ');
            clean = bytes == 0 ? clean + 1 : 0;
        }
        return rounds;
    }

    /** Bytes the calling thread has allocated so far. */
    public static long allocatedBytes() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
