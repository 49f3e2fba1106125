package org.erosim.tools.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.erosim.cpu.CycleTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compiled blocks change nothing a guest can observe: every test kernel runs once purely
 * interpreted (compile threshold 0) and once with every block compiled on its first run
 * (threshold 1), and the two runs must agree on the output, the end, the instruction and
 * cycle counts and the final registers.
 */
class CompiledBlocksAgreeTest {
    record Run(String output, Machine.EndReason end, long instructions, long cycles, int[] regs, int eip) {
    }

    private static Run run(String kernel, String append, int threshold) throws Exception {
        byte[] image;
        try (InputStream in = CompiledBlocksAgreeTest.class.getResourceAsStream("/kernels/" + kernel + ".elf")) {
            image = in.readAllBytes();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Machine m = new Machine(64L << 20, 100, CycleTable.defaults(), out, out, null)) {
            m.cpu.codeCache.setCompileThreshold(threshold);
            m.bootMultiboot(kernel + ".elf", image, (kernel + ".elf " + append).trim());
            Machine.EndReason end = m.run(200_000_000L);
            return new Run(out.toString(StandardCharsets.ISO_8859_1), end, m.cpu.instructions, m.cpu.cycles,
                m.cpu.r.clone(), m.cpu.eip);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "hello, ''", "pmode, strict", "exceptions, strict", "paging, ''", "ring3, ''", "callgate, ''",
        "taskswitch, ''", "v86, ''", "pit, ''", "strings, ''", "bcd, ''", "smc, ''", "compute, size=small",
    })
    void interpretedAndCompiledRunsAgree(String kernel, String append) throws Exception {
        Run interpreted = run(kernel, append, 0);
        Run compiled = run(kernel, append, 1);
        assertEquals(interpreted.output(), compiled.output());
        assertEquals(interpreted.end(), compiled.end());
        assertEquals(interpreted.instructions(), compiled.instructions(), "instructions");
        assertEquals(interpreted.cycles(), compiled.cycles(), "cycles");
        assertArrayEquals(interpreted.regs(), compiled.regs(), "registers");
        assertEquals(interpreted.eip(), compiled.eip(), "EIP");
        assertEquals(Machine.EndReason.DEBUG_EXIT, compiled.end(), compiled.output());
    }
}
