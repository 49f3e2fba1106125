package org.erosim.tools.run;

import static org.erosim.tools.Cli.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.tools.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jazzer target for the invocation path (quality.md, robustness: "random invocation
 * descriptors and message contents ... end in an architectural fault, a kernel result code
 * or one clear error line"). The guest {@code scen-fuzz.c} (image
 * {@code images/scen-fuzz.erosys}) performs the invocations its input describes — raw or
 * sanitized descriptors, words, strings from its arena, with every kind of key in its
 * registers and an echo server behind two start keys; the input goes into the 32 number
 * keys of its node {@code fuzz} after boot ({@link #inject}). Whatever the input, the run
 * must end without a host exception, within the cycle bound, with an exit status, one-line
 * reports, and both checkers silent.
 *
 * <p>Without {@code JAZZER_FUZZ} (as in CI) the target runs the inputs stored under
 * {@code InvocationFuzzTestInputs/anyInvocationsEndCleanly/} as a regression test; with
 * {@code JAZZER_FUZZ=1} it fuzzes (docs/robustness.md).
 * {@link #seededInvocationsEndCleanly} runs the same harness on 200 seeded random inputs, so
 * that CI exercises it beyond the corpus.
 */
class InvocationFuzzTest {
    private static final Path IMAGES = Path.of("src/test/resources/images");
    /** Bytes of input the guest reads: 32 slots of 12 bytes. */
    static final int INPUT = 384;
    /** Bytes per invocation record (scen-fuzz.c). */
    static final int RECORD = 52;
    /** The run's cycle bound; a run may overshoot it by the trap it is in and one instruction. */
    static final long MAX_CYCLES = 3_000_000;
    private static final long OVERSHOOT = 100_000;
    /** The fuzzer's key register 3 holds this number; register 5 the node the input goes into. */
    private static final int FUZZER_TAG = 0xf0;
    private static final int FUZZ_NODE_REGISTER = 5;

    private static Path image;

    /** scen-fuzz.erosys built once by {@code erosim mkimage} into a temporary directory. */
    static synchronized Path image() {
        if (image == null) {
            try {
                Path d = Files.createTempDirectory("erosim-invocation-fuzz");
                d.toFile().deleteOnExit();
                Path img = d.resolve("scen-fuzz.img");
                Cli mk = cli("mkimage", IMAGES.resolve("scen-fuzz.erosys").toString(), "-o", img.toString());
                assertEquals(0, mk.status(), mk.err());
                img.toFile().deleteOnExit();
                image = img;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return image;
    }

    /** Small pools: every run assembles a machine (the defaults would zero 18 MiB each time). */
    static RunOptions options() {
        RunOptions o = new RunOptions();
        o.maxCycles = MAX_CYCLES;
        o.frames = 128;
        o.pageTableFrames = 64;
        o.nodes = 256;
        o.processes = 8;
        o.activities = 16;
        o.dependencies = 4096;
        o.slice = 20_000;
        return o;
    }

    /** Any input: the harness's assertions, and the same run again ends the same way (determinism). */
    @FuzzTest(maxDuration = "5m")
    void anyInvocationsEndCleanly(byte[] input) {
        assertEquals(runChecked(input), runChecked(input), "same input, same run");
    }

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    /**
     * The harness on seeded random inputs. Uniform bytes would make nearly every record a
     * malformed descriptor (halting the guest at once), so the records are biased: the
     * descriptor is sanitized 7 times in 8 and the trap uses the arena copy 15 times in 16;
     * half the records take w0 from the order table; 3 records in 4 are a CALL or a SEND
     * (a RETURN ends the guest's run more often than not: it makes the guest wait for callers
     * that never come; the other types are left to the uniform quarter).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void seededInvocationsEndCleanly(long seed) {
        byte[] input = seeded(seed);
        // And trap replay changes nothing a run shows (a few seeds stall and retry a CALL).
        assertEquals(runChecked(input, false), runChecked(input, true), "replay off and on");
    }

    static byte[] seeded(long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[INPUT];
        r.nextBytes(b);
        for (int at = 0; at + RECORD <= INPUT; at += RECORD) {
            int ctl = b[at] & 0xFF & ~0x7;
            ctl |= r.nextInt(8) != 0 ? 1 : 0;
            ctl |= r.nextBoolean() ? 2 : 0;
            ctl |= r.nextInt(16) == 0 ? 4 : 0;
            b[at] = (byte) ctl;
            if (r.nextInt(4) != 0) {
                b[at + 4] = (byte) (r.nextBoolean() ? 2 : 4); // invType: CALL or SEND
            }
        }
        return b;
    }

    /** One run on {@code input} with every assertion of the harness; returns what it did. */
    static Result runChecked(byte[] input) {
        return runChecked(input, true);
    }

    /** {@link #runChecked(byte[])} with trap replay on or off ({@link RunOptions#trapReplay}). */
    static Result runChecked(byte[] input, boolean trapReplay) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunOptions options = options();
        options.trapReplay = trapReplay;
        try (ImageRun run = new ImageRun(image(), options, console)) {
            KernelMachine m = run.machine();
            // Interpret only: translating the guest's blocks to bytecode again for every fresh
            // machine costs about ten times the run itself, and the block compiler has fuzz
            // targets of its own (CpuFuzzTest).
            m.cpu.codeCache.setCompileThreshold(0);
            assertEquals(RunEnd.CYCLE_LIMIT, run.runFor(0), "runFor(0) only boots");
            inject(m, input);
            RunEnd end = m.run();
            assertNotNull(end);
            long cycles = m.elapsedCycles();
            assertTrue(cycles <= MAX_CYCLES + OVERSHOOT, "the run ends within its cycle bound: " + cycles);
            assertEquals(end == RunEnd.CYCLE_LIMIT, cycles >= MAX_CYCLES, "cycle limit iff the bound was reached");
            int status = m.exitStatus(end);
            assertTrue(status >= 0 && status <= 255, "exit status " + status);
            List<String> report = m.report();
            for (String line : report) {
                assertFalse(line.contains("\n"), line);
            }
            if (end == RunEnd.HALTED) {
                assertFalse(report.isEmpty(), "a halted run reports why");
            }
            assertEquals(List.of(), m.consistencyFindings(), "consistency after the run");
            String stats = m.stats();
            return new Result(end, status, cycles, report, count(stats, "gate invocations "),
                count(stats, "malformed invocations "), m.cpu.instructions);
        } catch (ImageRun.RunInputException e) {
            throw new AssertionError("the fuzz image must load: " + e.getMessage(), e);
        }
    }

    /** What one run did: how it ended, and how far the guest got. */
    record Result(RunEnd end, int status, long cycles, List<String> report, long gateInvocations, long malformed,
        long instructions) {
    }

    private static long count(String stats, String label) {
        int at = stats.indexOf(label);
        assertTrue(at >= 0, label + "in --stats");
        int from = at + label.length();
        int to = from;
        while (to < stats.length() && Character.isDigit(stats.charAt(to))) {
            to++;
        }
        return Long.parseLong(stats.substring(from, to));
    }

    /**
     * The seeded inputs are not vacuous: over the first 100 seeds the guest gets to gate
     * invocations and to malformed descriptors, and runs end idle as well as halted (faults,
     * unimplemented orders, the deadlock of a CALL to itself).
     */
    @Test
    void seededInputsReachGatesAndMalformedDescriptorsAndEndBothIdleAndHalted() {
        EnumMap<RunEnd, Integer> ends = new EnumMap<>(RunEnd.class);
        long gates = 0;
        long malformed = 0;
        for (long seed = 0; seed < 100; seed++) {
            Result r = runChecked(seeded(seed));
            ends.merge(r.end(), 1, Integer::sum);
            gates += r.gateInvocations();
            malformed += r.malformed();
        }
        assertTrue(ends.containsKey(RunEnd.IDLE) && ends.containsKey(RunEnd.HALTED), "ends: " + ends);
        assertTrue(gates > 0, "no seeded run got to a gate invocation");
        assertTrue(malformed > 0, "no seeded run tried a malformed descriptor");
    }

    /**
     * Writes {@code input} (zero-padded or cut to {@link #INPUT} bytes) into the fuzzer's node:
     * slot s = a number key whose words are bytes 12s.. 12s+11, little-endian. Goes through
     * {@link Keys#storeNumber}, the kernel's one slot-write path.
     */
    static void inject(KernelMachine m, byte[] input) {
        ProcessTable p = m.processes();
        Keys keys = m.cache().keys();
        int fuzzer = ProcessTable.NONE;
        for (int e = 0; e < p.capacity(); e++) {
            if (p.isInUse(e) && (int) keys.oidAt(KeyLocation.nodeSlot(p.keyRegistersNode(e), 3)) == FUZZER_TAG) {
                fuzzer = e;
            }
        }
        assertTrue(fuzzer != ProcessTable.NONE, "the fuzzer process is loaded at boot");
        int node = keys.prepare(KeyLocation.nodeSlot(p.keyRegistersNode(fuzzer), FUZZ_NODE_REGISTER));
        assertTrue(node >= 0, "register 5 is a node key");
        byte[] b = Arrays.copyOf(input, INPUT);
        for (int s = 0; s < 32; s++) {
            keys.storeNumber(KeyLocation.nodeSlot(node, s), le(b, 12 * s), le(b, 12 * s + 4), le(b, 12 * s + 8));
        }
    }

    private static int le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
