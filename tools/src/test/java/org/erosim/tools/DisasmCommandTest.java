package org.erosim.tools;

import static org.erosim.tools.Cli.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.erosim.tools.elf.TestElf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DisasmCommandTest {
    /** push ebp; mov ebp,esp; mov eax,[ebp+8]; call helper; leave; ret; helper: lea eax,[esi+edi*4+0x12345678]; ret. */
    private static final byte[] CODE = {
        0x55, (byte) 0x89, (byte) 0xE5, (byte) 0x8B, 0x45, 0x08, (byte) 0xE8, 0x02, 0x00, 0x00, 0x00,
        (byte) 0xC9, (byte) 0xC3, (byte) 0x8D, (byte) 0x84, (byte) 0xBE, 0x78, 0x56, 0x34, 0x12, (byte) 0xC3};

    @TempDir
    Path dir;

    private Path kernel() throws IOException {
        byte[] elf = new TestElf(0x100000, CODE).label("_start", 0x100000).label("helper", 0x10000D).build();
        return Files.write(dir.resolve("kernel.elf"), elf);
    }

    /** The error path: exit status 2, nothing on stdout, one line on stderr. */
    private static void assertUsageError(String expected, Cli r) {
        assertEquals(Main.EXIT_USAGE, r.status(), r.err());
        assertEquals("", r.out());
        assertEquals("erosim: " + expected + System.lineSeparator(), r.err());
    }

    @Test
    void listsTheExecutableSectionsOfAnElfWithSymbolLabels() throws IOException {
        Cli r = cli("disasm", kernel().toString());
        assertEquals(Main.EXIT_OK, r.status(), r.err());
        assertEquals(List.of(
            "",
            "Disassembly of section .text:",
            "",
            "00100000 <_start>:",
            "  00100000: 55                    push ebp",
            "  00100001: 89 e5                 mov ebp,esp",
            "  00100003: 8b 45 08              mov eax,DWORD PTR [ebp+0x8]",
            "  00100006: e8 02 00 00 00        call 0x10000d",
            "  0010000b: c9                    leave",
            "  0010000c: c3                    ret",
            "",
            "0010000d <helper>:",
            "  0010000d: 8d 84 be 78 56 34 12  lea eax,[esi+edi*4+0x12345678]",
            "  00100014: c3                    ret"), r.lines());
        assertEquals("", r.err());
    }

    @Test
    void startAndCountSelectARange() throws IOException {
        Cli r = cli("disasm", kernel().toString(), "--start", "0x100003", "--count", "2");
        assertEquals(Main.EXIT_OK, r.status(), r.err());
        assertEquals(List.of("", "Disassembly of section .text:",
            "  00100003: 8b 45 08              mov eax,DWORD PTR [ebp+0x8]",
            "  00100006: e8 02 00 00 00        call 0x10000d"), r.lines());
        Cli decimal = cli("disasm", kernel().toString(), "--start", "1048579", "--count", "1");
        assertEquals("  00100003: 8b 45 08              mov eax,DWORD PTR [ebp+0x8]", decimal.lines().get(2));
    }

    @Test
    void anElfWithoutSectionsIsListedBySegment() throws IOException {
        Path file = Files.write(dir.resolve("bare.elf"), new TestElf(0x200000, CODE).withoutSections().build());
        Cli r = cli("disasm", file.toString(), "--count", "2");
        assertEquals(List.of("", "Disassembly of segment 0:", "  00200000: 55                    push ebp",
            "  00200001: 89 e5                 mov ebp,esp"), r.lines());
    }

    @Test
    void aFlatBinaryIsListedFromItsOriginIn32Or16BitMode() throws IOException {
        Path file = Files.write(dir.resolve("boot.bin"), new byte[] {(byte) 0xB8, 0x34, 0x12, (byte) 0xEB, (byte) 0xFB});
        Cli r32 = cli("disasm", file.toString(), "--org", "0x7c00");
        assertEquals(List.of("  00007c00: b8 34 12 eb fb        mov eax,0xfbeb1234"), r32.lines());
        Cli r16 = cli("disasm", file.toString(), "--org", "0x7c00", "--16");
        assertEquals(List.of("  00007c00: b8 34 12              mov ax,0x1234", "  00007c03: eb fb                 jmp 0x7c00"),
            r16.lines());
        Cli r0 = cli("disasm", file.toString(), "--16", "--start", "3");
        assertEquals(List.of("  00000003: eb fb                 jmp 0x0"), r0.lines());
    }

    @Test
    void instructionsLongerThanSevenBytesContinueOnTheNextLine() throws IOException {
        // mov DWORD PTR [eax+0x12345678],0x9abcdef0: 10 bytes
        byte[] code = {(byte) 0xC7, (byte) 0x80, 0x78, 0x56, 0x34, 0x12, (byte) 0xF0, (byte) 0xDE, (byte) 0xBC,
            (byte) 0x9A};
        Cli r = cli("disasm", Files.write(dir.resolve("long.bin"), code).toString());
        assertEquals(List.of("  00000000: c7 80 78 56 34 12 f0  mov DWORD PTR [eax+0x12345678],0x9abcdef0",
            "  00000007: de bc 9a"), r.lines());
    }

    @Test
    void badInputIsOneLineOnStderrAndStatus2() throws IOException {
        Path elf = kernel();
        Path missing = dir.resolve("missing.elf");
        assertUsageError(missing + ": no such file", cli("disasm", missing.toString()));
        assertUsageError(dir + ": not a regular file", cli("disasm", dir.toString()));
        Path text = Files.writeString(dir.resolve("notes.elf"), "not an executable\n");
        assertUsageError(text + ": not an ELF file", cli("disasm", text.toString()));
        byte[] elf64 = Files.readAllBytes(elf);
        elf64[4] = 2;
        Path wide = Files.write(dir.resolve("wide.elf"), elf64);
        assertUsageError(wide + ": not a 32-bit ELF (class 2)", cli("disasm", wide.toString()));
        assertUsageError("invalid --start 'main': expected an address from 0 to 0xffffffff, hexadecimal with 0x"
            + " or decimal", cli("disasm", elf.toString(), "--start", "main"));
        assertUsageError("invalid --start '-4': expected an address from 0 to 0xffffffff, hexadecimal with 0x"
            + " or decimal", cli("disasm", elf.toString(), "--start", "-4"));
        assertUsageError("--start 0x300000 is not in an executable section of " + elf,
            cli("disasm", elf.toString(), "--start", "0x300000"));
        assertUsageError("--count must be at least 1, not 0", cli("disasm", elf.toString(), "--count", "0"));
        assertUsageError("--org is for flat binaries; " + elf + " is an ELF file",
            cli("disasm", elf.toString(), "--org", "0x1000"));
        Path flat = Files.write(dir.resolve("code.bin"), new byte[] {(byte) 0x90});
        assertUsageError("--start 0x10 is outside " + flat + " (0x0-0x0)", cli("disasm", flat.toString(), "--start",
            "0x10"));
    }

    @Test
    void optionErrorsFromTheParserAlsoExitWith2() {
        Cli r = cli("disasm", "x.bin", "--count", "many");
        assertEquals(Main.EXIT_USAGE, r.status());
        assertTrue(r.err().startsWith("erosim: ") && r.err().lines().count() == 1, r.err());
        assertEquals(Main.EXIT_USAGE, cli("disasm").status());
    }
}
