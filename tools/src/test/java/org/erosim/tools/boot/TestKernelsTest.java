package org.erosim.tools.boot;

import static org.erosim.tools.Cli.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.erosim.tools.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Boots every bare-metal test kernel through the CLI's own path ({@code erosim boot}) and
 * checks its COM1 output against the expected text recorded from QEMU (or, for the
 * {@code strict} checks QEMU lacks, from the SDM) and its isa-debug-exit status (33 =
 * PASS). Each kernel proves one area; see docs/test-kernels.md. The compute kernel also
 * boots from the reset vector, wrapped in a BIOS-replacement ROM ({@code boot --bios}), as
 * it does under Bochs and {@code qemu -bios} for the side-by-side speed comparison.
 */
class TestKernelsTest {
    @TempDir
    static Path tmp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "hello, '', hello",
        "pmode, '', pmode",
        "pmode, strict, pmode-strict",
        "exceptions, '', exceptions",
        "exceptions, strict, exceptions-strict",
        "paging, '', paging",
        "ring3, '', ring3",
        "callgate, '', callgate",
        "taskswitch, '', taskswitch",
        "v86, '', v86",
        "pit, '', pit",
        "strings, '', strings",
        "bcd, '', bcd",
        "smc, '', smc",
        "compute, size=small, compute-small",
        "compute, '', compute",
    })
    void kernelPassesWithTheExpectedOutput(String kernel, String append, String expectedName) throws Exception {
        Path elf = resource(kernel + ".elf");
        String[] args = append.isEmpty() ? new String[] {"boot", "--max-instructions", "4000000000", elf.toString()}
            : new String[] {"boot", "--max-instructions", "4000000000", "--append", append, elf.toString()};
        bootsAndPasses(args, kernel, expectedName);
    }

    /**
     * compute-small.rom (mkrom.sh: the compute kernel with the command line size=small in a
     * ROM whose loader starts at the reset vector) prints the recorded checksum and passes.
     */
    @Test
    void computeRomBootsFromTheResetVector() throws Exception {
        Path rom = resource("compute-small.rom");
        String output = bootsAndPasses(
            new String[] {"boot", "--max-instructions", "100000000", "--bios", rom.toString()}, "compute",
            "compute-small");
        String checksum = expectedLines("compute-small").stream().filter(l -> l.startsWith("checksum: ")).findFirst()
            .orElseThrow();
        assertTrue(output.lines().anyMatch(checksum::equals), "no '" + checksum + "' line:\n" + output);
    }

    /** Copies a classpath resource kernels/NAME (built by Maven) to the temporary directory. */
    private static Path resource(String name) throws Exception {
        Path file = tmp.resolve(name);
        if (!Files.exists(file)) {
            try (InputStream in = TestKernelsTest.class.getResourceAsStream("/kernels/" + name)) {
                assertTrue(in != null, "kernels/" + name + " is not on the classpath (Maven builds it)");
                Files.copy(in, file);
            }
        }
        return file;
    }

    private static List<String> expectedLines(String expectedName) throws Exception {
        try (InputStream in = TestKernelsTest.class.getResourceAsStream("/kernels/" + expectedName + ".expected")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /**
     * Runs the CLI with {@code args}; the run must end through isa-debug-exit with status 33
     * and print every line of {@code expectedName}.expected in order, PASS last. Returns the output.
     */
    private static String bootsAndPasses(String[] args, String kernel, String expectedName) throws Exception {
        List<String> expected = expectedLines(expectedName);
        Cli run = cli(args);
        String output = run.out().replace("\r", "");
        assertEquals(33, run.status(), () -> "exit status (33 = PASS); stderr: " + run.err() + "\noutput:\n" + output);
        int at = 0;
        for (String line : expected) {
            int found = output.indexOf(line, at);
            assertTrue(found >= 0, "missing, in order: '" + line + "'\noutput:\n" + output);
            at = found + line.length();
        }
        assertTrue(output.strip().endsWith("PASS " + kernel), output);
        return output;
    }
}
