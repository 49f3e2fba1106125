package org.erosim.tools.boot;

import static org.erosim.tools.Cli.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.erosim.tools.elf.TestElf;
import org.erosim.tools.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code erosim boot} end to end through {@link Main#execute}: the run-ending statuses
 * (isa-debug-exit, halt, triple fault, instruction limit) and one-line errors with status 2
 * for every kind of bad input. The kernels are built in the test from machine code.
 */
public class BootCommandTest {
    @TempDir
    Path tmp;

    private String out;
    private String err;

    private int boot(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "boot";
        System.arraycopy(args, 0, all, 1, args.length);
        Cli run = cli(all);
        out = run.out();
        err = run.err();
        return run.status();
    }

    /** A Multiboot header (page-align + meminfo flags) followed by {@code code}. */
    public static byte[] multibootImage(byte[] code) {
        return multiboot(code);
    }

    static byte[] multiboot(byte[] code) {
        ByteBuffer b = ByteBuffer.allocate(12 + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x1BADB002).putInt(3).putInt(-(0x1BADB002 + 3)).put(code);
        return b.array();
    }

    private Path kernel(String name, byte[] code) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, new TestElf(0x100000, multiboot(code)).label("_start", 0x10000C).build());
        return p;
    }

    /** Sets the ELF entry point (TestElf points it at the start of .text: the header). */
    private Path kernelWithEntry(String name, byte[] code) throws Exception {
        byte[] elf = new TestElf(0x100000, multiboot(code)).build();
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 0x10000C);
        Path p = tmp.resolve(name);
        Files.write(p, elf);
        return p;
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    // mov dx,0x3f8 ; mov al,'O' ; out dx,al ; mov al,'K' ; out dx,al ; mov al,0x10 ; out 0xf4,al ; hlt
    private static final byte[] HELLO = bytes(0x66, 0xBA, 0xF8, 0x03, 0xB0, 'O', 0xEE, 0xB0, 'K', 0xEE, 0xB0, 0x10, 0xE6,
        0xF4, 0xF4);

    @Test
    void isaDebugExitEndsTheRunWithItsStatusAndCom1Output() throws Exception {
        int status = boot(kernelWithEntry("hello.elf", HELLO).toString());
        assertEquals(33, status, err);
        assertEquals("OK", out);
        assertEquals("", err);
    }

    @Test
    void multibootRegistersAndFlatSegmentsAreSetUp() throws Exception {
        // cmp eax,0x2badb002 ; jne bad ; cmp dword [ebx+4],639 ; jne bad ; mov al,0x10 ; out 0xf4,al
        // bad: mov al,0x11 ; out 0xf4,al
        byte[] code = bytes(0x3D, 0x02, 0xB0, 0xAD, 0x2B, 0x75, 0x0D, 0x81, 0x7B, 0x04, 0x7F, 0x02, 0x00, 0x00, 0x75, 0x04,
            0xB0, 0x10, 0xE6, 0xF4, 0xB0, 0x11, 0xE6, 0xF4);
        assertEquals(33, boot(kernelWithEntry("regs.elf", code).toString()), err);
    }

    @Test
    void hltWithInterruptsOffEndsWithStatusZeroAndStatsReportIt() throws Exception {
        int status = boot("--stats", kernelWithEntry("halt.elf", bytes(0xFA, 0xF4)).toString());
        assertEquals(0, status, err);
        assertTrue(err.contains("exit:           halted (status 0)"), err);
        assertTrue(err.contains("instructions:   2"), err);
        assertTrue(err.contains("unknown ports:  none"), err);
    }

    @Test
    void tripleFaultEndsWithStatusThreeAndTheState() throws Exception {
        // lidt [limit 0] then int3: #GP on the IDT limit, again while delivering -> #DF -> shutdown
        // lidt [0x100020] ; int3 ; (data at 0x100020: limit 0, base 0)
        byte[] code = new byte[0x20];
        byte[] pre = bytes(0x0F, 0x01, 0x1D, 0x20, 0x00, 0x10, 0x00, 0xCC);
        System.arraycopy(pre, 0, code, 0, pre.length);
        int status = boot(kernelWithEntry("triple.elf", code).toString());
        assertEquals(3, status, err);
        assertTrue(err.startsWith("erosim: triple fault"), err);
        assertTrue(err.contains("EIP="), err);
    }

    @Test
    void instructionLimitEndsWithStatus124() throws Exception {
        int status = boot("--max-instructions", "1000", "--stats", kernelWithEntry("spin.elf", bytes(0xEB, 0xFE)).toString());
        assertEquals(124, status, err);
        assertTrue(err.contains("instructions:   1,000"), err);
    }

    /**
     * Found by BootFuzzTest: a guest that runs the PIT, masks every IRQ at the PIC and halts
     * with IF set idles from timer event to timer event; the budget counts those events
     * (docs/boot.md), so the run ends at the limit instead of going round for ever.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void haltWaitingForAMaskedTimerEndsAtTheInstructionLimit() throws Exception {
        // mov al,0x34 ; out 0x43,al ; mov al,0xe8 ; out 0x40,al ; mov al,3 ; out 0x40,al (PIT ch 0, mode 2, 1000)
        // mov al,0xff ; out 0x21,al (mask every master IRQ) ; sti ; hlt ; jmp hlt
        byte[] code = bytes(0xB0, 0x34, 0xE6, 0x43, 0xB0, 0xE8, 0xE6, 0x40, 0xB0, 0x03, 0xE6, 0x40, 0xB0, 0xFF, 0xE6, 0x21,
            0xFB, 0xF4, 0xEB, 0xFD);
        int status = boot("--max-instructions", "1000", "--stats", kernelWithEntry("masked.elf", code).toString());
        assertEquals(124, status, err);
        assertTrue(err.contains("instructions:   10\n"), err); // up to the HLT; the other 990 units were timer events
    }

    @Test
    void missingFileIsOneLineWithStatusTwo() {
        assertEquals(2, boot(tmp.resolve("nope.elf").toString()));
        assertOneLine("no such file");
    }

    @Test
    void notAnElfIsOneLine() throws Exception {
        Path p = tmp.resolve("x.elf");
        Files.writeString(p, "just text");
        assertEquals(2, boot(p.toString()));
        assertOneLine("not an ELF file");
    }

    @Test
    void a64BitElfIsRejected() throws Exception {
        byte[] elf = new TestElf(0x100000, multiboot(HELLO)).build();
        elf[4] = 2; // ELFCLASS64
        Path p = tmp.resolve("x64.elf");
        Files.write(p, elf);
        assertEquals(2, boot(p.toString()));
        assertOneLine("32-bit");
    }

    @Test
    void missingMultibootHeaderIsOneLine() throws Exception {
        Path p = tmp.resolve("nomb.elf");
        Files.write(p, new TestElf(0x100000, HELLO).build());
        assertEquals(2, boot(p.toString()));
        assertOneLine("no Multiboot header");
    }

    @Test
    void segmentOutsideRamIsOneLineNamingTheOption() throws Exception {
        Path p = tmp.resolve("high.elf");
        Files.write(p, new TestElf(0x7000000, multiboot(HELLO)).build());
        assertEquals(2, boot("--mem", "64M", p.toString()));
        assertOneLine("outside RAM");
        assertTrue(err.contains("--mem"), err);
    }

    @Test
    void romOfTheWrongSizeIsOneLine() throws Exception {
        Path p = tmp.resolve("rom.bin");
        Files.write(p, new byte[1000]);
        assertEquals(2, boot("--bios", p.toString()));
        assertOneLine("multiple of 64 KiB");
    }

    @Test
    void romBootsFromTheResetVector() throws Exception {
        // at F000:FFF0: mov al,0x10 ; out 0xf4,al (real mode)
        byte[] rom = new byte[65536];
        byte[] code = bytes(0xB0, 0x10, 0xE6, 0xF4, 0xF4);
        System.arraycopy(code, 0, rom, 0xFFF0, code.length);
        Path p = tmp.resolve("rom64k.bin");
        Files.write(p, rom);
        assertEquals(33, boot("--bios", p.toString()), err);
    }

    @Test
    void badOptionsAreOneLine() throws Exception {
        Path k = kernelWithEntry("k.elf", HELLO);
        assertEquals(2, boot("--mem", "12Q", k.toString()));
        assertOneLine("--mem");
        assertEquals(2, boot());
        assertOneLine("exactly one of");
    }

    @Test
    void traceWritesDisassemblyAndRegisters() throws Exception {
        Path t = tmp.resolve("trace.txt");
        assertEquals(33, boot("--trace", t.toString(), kernelWithEntry("t.elf", HELLO).toString()), err);
        String trace = Files.readString(t);
        assertTrue(trace.contains("mov dx,0x3f8"), trace);
        assertTrue(trace.contains("out 0xf4,al"), trace);
        assertTrue(trace.contains("eax="), trace);
    }

    @Test
    void serialCanGoToAFile() throws Exception {
        Path s = tmp.resolve("com1.txt");
        assertEquals(33, boot("--serial", s.toString(), kernelWithEntry("s.elf", HELLO).toString()), err);
        assertEquals("OK", Files.readString(s));
        assertEquals("", out);
    }

    private void assertOneLine(String fragment) {
        assertTrue(err.startsWith("erosim: "), err);
        assertTrue(err.contains(fragment), err);
        assertEquals(1, err.strip().lines().count(), err);
        assertFalse(err.contains("Exception"), err);
    }

}
