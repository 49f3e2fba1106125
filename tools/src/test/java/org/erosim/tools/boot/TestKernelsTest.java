package org.erosim.tools.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.erosim.tools.Main;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Boots every bare-metal test kernel through the CLI's own path ({@code erosim boot}) and
 * checks its COM1 output against the expected text recorded from QEMU (or, for the
 * {@code strict} checks QEMU lacks, from the SDM) and its isa-debug-exit status (33 =
 * PASS). Each kernel proves one area; see docs/test-kernels.md.
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
        Path elf = tmp.resolve(kernel + ".elf");
        if (!Files.exists(elf)) {
            try (InputStream in = TestKernelsTest.class.getResourceAsStream("/kernels/" + kernel + ".elf")) {
                assertTrue(in != null, "kernels/" + kernel + ".elf is not on the classpath (Maven builds it)");
                Files.copy(in, elf);
            }
        }
        List<String> expected;
        try (InputStream in = TestKernelsTest.class.getResourceAsStream("/kernels/" + expectedName + ".expected")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = append.isEmpty() ? new String[] {"boot", "--max-instructions", "4000000000", elf.toString()}
            : new String[] {"boot", "--max-instructions", "4000000000", "--append", append, elf.toString()};
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        String output = out.toString().replace("\r", "");
        assertEquals(33, status, () -> "exit status (33 = PASS); stderr: " + err + "\noutput:\n" + output);
        int at = 0;
        for (String line : expected) {
            int found = output.indexOf(line, at);
            assertTrue(found >= 0, "missing, in order: '" + line + "'\noutput:\n" + output);
            at = found + line.length();
        }
        assertTrue(output.strip().endsWith("PASS " + kernel), output);
    }
}
