package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.erosim.cpu.RandomMachine.Mode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random memory, run from random start states in every processor mode: each run must end
 * normally within its instruction budget (in an architectural fault, a halt or a triple-fault
 * shutdown, never a Java exception or a hang), leave the CPU's derived state consistent and
 * be deterministic. See {@link RandomMachine} for the machine and the invariants; a failure
 * names the mode and seed of its case.
 */
class RandomCodeTest {
    private static final int SEEDS_PER_MODE = 300;
    /** Seeds per test invocation: the watchdog thread costs more than a case. */
    private static final int BATCH = 50;
    private static final long BUDGET = 1_000;

    static Stream<Arguments> batches() {
        return Stream.of(Mode.values()).flatMap(mode -> LongStream.range(0, SEEDS_PER_MODE / BATCH)
            .mapToObj(b -> Arguments.of(mode, b * BATCH)));
    }

    @ParameterizedTest(name = "{0} seeds {1} and the next " + (BATCH - 1))
    @MethodSource("batches")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void randomCodeEndsInAnArchitecturalOutcome(Mode mode, long firstSeed) {
        for (long seed = firstSeed; seed < firstSeed + BATCH; seed++) {
            try {
                runCase(mode, seed);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(mode + " seed " + seed + " failed", e);
            }
        }
    }

    /**
     * One case. One seed in four runs again, one instruction at a time with the CPU state
     * checked after each, and must end in the same state (deterministic, and independent of
     * how the run is cut into blocks); with an interrupt source, only deterministic.
     */
    static void runCase(Mode mode, long seed) {
        RandomMachine.Outcome first;
        try (RandomMachine m = RandomMachine.build(mode, new SeededChoices(seed))) {
            m.runChecked(BUDGET);
            first = seed % 4 == 0 ? m.outcome() : null;
        }
        if (first != null) {
            try (RandomMachine m = RandomMachine.build(mode, new SeededChoices(seed))) {
                if (m.cpu.interrupts == null) {
                    m.runStepped(BUDGET);
                } else {
                    m.runChecked(BUDGET);
                }
                assertEquals(first, m.outcome(), "the same start state must give the same outcome");
            }
        }
    }

    /** Choices from {@link Random}, so that a seed names a case. */
    static final class SeededChoices implements RandomMachine.Choices {
        private final Random rnd;

        SeededChoices(long seed) {
            rnd = new Random(seed);
        }

        @Override
        public int below(int n) {
            return rnd.nextInt(n);
        }

        @Override
        public int any() {
            return rnd.nextInt();
        }

        @Override
        public long anyLong() {
            return rnd.nextLong();
        }

        @Override
        public byte[] bytes(int max) {
            byte[] b = new byte[rnd.nextInt(max + 1)];
            rnd.nextBytes(b);
            return b;
        }
    }
}
