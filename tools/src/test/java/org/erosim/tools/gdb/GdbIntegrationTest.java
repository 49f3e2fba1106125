package org.erosim.tools.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.erosim.tools.Main;
import org.erosim.tools.boot.BootCommandTest;
import org.erosim.tools.elf.TestElf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code gdb} (batch mode) debugs a kernel under {@code erosim boot --gdb}: reads
 * registers, sets a breakpoint, continues to it, single-steps, reads memory and kills the
 * run. {@code .ci/run} installs gdb when the machine lacks it.
 */
class GdbIntegrationTest {
    @TempDir
    Path tmp;

    private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

    @Test
    void gdbSetsABreakpointStepsAndReadsState() throws Exception {
        // 0x10000c: mov dx,0x3f8 ; 0x100010: mov al,'O' ; 0x100012: out dx,al ; ... exit 0x10
        byte[] code = {0x66, (byte) 0xBA, (byte) 0xF8, 0x03, (byte) 0xB0, 'O', (byte) 0xEE, (byte) 0xB0, 'K',
            (byte) 0xEE, (byte) 0xB0, 0x10, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4};
        byte[] elf = new TestElf(0x100000, BootCommandTestAccess.multiboot(code)).build();
        java.nio.ByteBuffer.wrap(elf).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(24, 0x10000C);
        Path kernel = tmp.resolve("k.elf");
        Files.write(kernel, elf);

        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        AtomicInteger status = new AtomicInteger(-1);
        Thread run = new Thread(() -> status.set(Main.execute(new String[] {"boot", "--gdb", "0", kernel.toString()},
            new PrintWriter(out, true), new PrintWriter(err, true))));
        run.start();
        int port = -1;
        for (int i = 0; i < 200 && port < 0; i++) {
            Matcher m = PORT.matcher(err.toString());
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            } else {
                Thread.sleep(50);
            }
        }
        assertTrue(port > 0, "stub did not announce its port: " + err);

        Process gdb = new ProcessBuilder(List.of("gdb", "-nx", "-batch",
            "-ex", "set architecture i386",
            "-ex", "target remote 127.0.0.1:" + port,
            "-ex", "printf \"EIP0=%x\\n\", $eip",
            "-ex", "break *0x100012",
            "-ex", "continue",
            "-ex", "printf \"EIP1=%x AL=%x\\n\", $eip, $eax & 0xff",
            "-ex", "stepi",
            "-ex", "printf \"EIP2=%x\\n\", $eip",
            "-ex", "x/2xb 0x10000c",
            "-ex", "kill"))
            .redirectErrorStream(true).start();
        String text = new String(gdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gdb.waitFor(60, TimeUnit.SECONDS), "gdb did not finish");
        run.join(10_000);
        assertTrue(text.contains("EIP0=10000c"), text);
        assertTrue(text.contains("EIP1=100012 AL=4f"), text);
        assertTrue(text.contains("EIP2=100013"), text);
        assertTrue(text.contains("0x66\t0xba"), text);
        assertEquals("O", out.toString(), "one byte reached COM1 before the kill");
    }

    /** Reuses the Multiboot header builder of the boot tests. */
    static final class BootCommandTestAccess {
        static byte[] multiboot(byte[] code) {
            return BootCommandTest.multibootImage(code);
        }
    }
}
