package org.erosim.tools.boot;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.OutputStream;
import java.util.regex.Pattern;
import org.erosim.cpu.CycleTable;

/**
 * Jazzer target for the Multiboot ELF loader (quality.md: random or truncated ELF files end
 * in one clear error line). Without {@code JAZZER_FUZZ} (as in CI) it runs the inputs stored
 * under {@code BootFuzzTestInputs/<method>/} — two kernels {@code ld -m elf_i386} linked, and
 * what fuzzing found — as a regression test; with {@code JAZZER_FUZZ=1} it fuzzes
 * (docs/robustness.md has the command).
 */
class BootFuzzTest {
    /** A BootException's message: the file, then one line. */
    private static final Pattern ONE_LINE = Pattern.compile("^fuzz\\.elf: [^\\n\\r]+$");
    /** Small, so that loads beyond RAM are common and every input is quick to set up. */
    private static final long RAM = 4L << 20;
    /** Enough for a loaded kernel to reach its first faults; the bound keeps every input finite. */
    private static final long INSTRUCTIONS = 20_000;

    /**
     * Any bytes as a Multiboot kernel either load — and then run to an architectural end (a
     * halt, a triple fault, a reset, a debug exit or the instruction bound) — or are refused
     * with one BootException line naming the file; never another exception, whatever the
     * headers, segments and Multiboot address fields say.
     */
    @FuzzTest(maxDuration = "5m")
    void anyKernelImageLoadsOrFailsInOneLine(byte[] input) {
        try (Machine m = new Machine(RAM, Machine.DEFAULT_MHZ, CycleTable.defaults(), OutputStream.nullOutputStream(),
            OutputStream.nullOutputStream(), null)) {
            try {
                m.bootMultiboot("fuzz.elf", input, "fuzz");
            } catch (BootException e) {
                assertTrue(ONE_LINE.matcher(e.getMessage()).matches() && e.getMessage().length() < 300, e.getMessage());
                return;
            }
            assertNotNull(m.run(INSTRUCTIONS));
        }
    }
}
