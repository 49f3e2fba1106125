package org.erosim.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the objdump comparison cannot show: undefined and truncated input, the length
 * limit, x87 escapes, prefix words, branch targets wrapping at 64 KiB, and robustness
 * against random bytes. The agreement with objdump is {@link DisassemblerObjdumpTest}.
 */
class DisassemblerTest {
    private static Disassembler.Instruction at(int address, boolean code32, String hex) {
        return Disassembler.disassemble(HexFormat.of().parseHex(hex.replace(" ", "")), 0, address, code32);
    }

    private static void assertText(String expected, int length, Disassembler.Instruction insn) {
        assertEquals(expected, insn.text());
        assertEquals(length, insn.length(), "length of " + expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // undefined opcodes, and undefined group members keep the group's operand shape
        "0f 04 | (bad) | 2",
        "fe d0 | (bad) | 2",
        "c7 c8 78 56 34 12 | (bad) | 6",
        "8f 48 10 | (bad) | 3",
        "0f c7 c8 | (bad) | 3",
        // memory-only operands in register form are #UD
        "8d c0 | (bad) | 2",
        "c4 c0 | (bad) | 2",
        "0f 01 d0 | (bad) | 3",
        // no segment register 6 or 7
        "8c f8 | (bad) | 2",
        // MOV CRn/DRn ignore mod
        "0f 20 00 | mov eax,cr0 | 3",
        "0f 23 7f | mov dr7,edi | 3",
        // x87 escapes: 8086 ESC number and the r/m operand
        "d8 00 | esc 0x0,[eax] | 2",
        "df 7d 08 | esc 0x3f,[ebp+0x8] | 3",
        "d9 c1 | esc 0x8,ecx | 2",
        // prefixes no operand shows become words
        "64 90 | fs nop | 2",
        "66 f4 | data16 hlt | 2",
        "67 90 | addr16 nop | 2",
        "66 8c 00 | data16 mov WORD PTR [eax],es | 3",
        "26 a4 | es movsb | 2",
        "64 f3 aa | fs rep stosb | 3",
        "67 f2 ae | addr16 repne scasb | 3",
        "f3 a6 | repe cmpsb | 2",
        "f2 a5 | repne movsd | 2",
        "f3 c3 | repe ret | 2",
        "f0 01 00 | lock add DWORD PTR [eax],eax | 3",
        "f0 40 | lock inc eax | 2",
        "67 e2 fd | addr16 loop 0x100000 | 3",
        "67 e3 fd | jcxz 0x100000 | 3",
        "66 9a 34 12 10 00 | call 0x10:0x1234 | 6",
        "66 c2 04 00 | retw 0x4 | 4",
        "66 0f 01 18 | lidtw [eax] | 4",
        // immediates in the operand's width; sign-extended imm8 at the operand size
        "83 c0 80 | add eax,0xffffff80 | 3",
        "66 83 c0 80 | add ax,0xff80 | 4",
        "6b c0 ff | imul eax,eax,0xffffffff | 3",
        "c8 00 10 02 | enter 0x1000,0x2 | 4",
        // displacement forms
        "8b 80 00 00 00 80 | mov eax,DWORD PTR [eax-0x80000000] | 6",
        "8b 04 8d 00 00 00 00 | mov eax,DWORD PTR [ecx*4+0x0] | 7",
        "8b 44 24 00 | mov eax,DWORD PTR [esp+0x0] | 4",
        "3e 8b 04 25 10 00 00 00 | mov eax,DWORD PTR ds:0x10 | 8",
        "65 a1 10 00 00 00 | mov eax,gs:0x10 | 6",
    })
    void formatsIn32BitCode(String hex, String text, int length) {
        assertText(text, length, at(0x100000, true, hex));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "8b 40 10 | mov ax,WORD PTR [bx+si+0x10] | 3",
        "26 8b 40 10 | mov ax,WORD PTR es:[bx+si+0x10] | 4",
        "8b 46 00 | mov ax,WORD PTR [bp+0x0] | 3",
        "8b 06 34 12 | mov ax,WORD PTR ds:0x1234 | 4",
        "67 8b 05 78 56 34 12 | addr32 mov ax,WORD PTR ds:0x12345678 | 7",
        "66 8b 04 | mov eax,DWORD PTR [si] | 3",
        "ea f0 ff 00 f0 | jmp 0xf000:0xfff0 | 5",
        "66 ff 1f | call FWORD PTR [bx] | 3",
        "66 68 78 56 34 12 | pushd 0x12345678 | 6",
        "66 0f a0 | pushd fs | 3",
        "66 cf | iretd | 2",
        "66 60 | pushad | 2",
        "66 98 | cwde | 2",
        "0f 01 10 | lgdt [bx+si] | 3",
    })
    void formatsIn16BitCode(String hex, String text, int length) {
        assertText(text, length, at(0x7c00, false, hex));
    }

    @Test
    void branchTargetsWrapAt64KiBIn16BitCodeAndWithA16BitOperandSize() {
        assertEquals("jmp 0x0", at(0xFFFE, false, "eb 00").text());
        assertEquals("call 0xfff0", at(0x10, false, "e8 dd ff").text());
        assertEquals("je 0x10", at(0xFFF0, false, "74 1e").text());
        assertEquals("jmp 0x5", at(0x100000, true, "66 eb 02").text());
        assertEquals("callw 0x7", at(0x100000, true, "66 e8 03 00").text());
        assertEquals("jmp 0x0", at(0xFFFFFFFE, true, "eb 00").text());
    }

    @Test
    void truncatedInputIsReportedWithTheBytesThereWere() {
        assertText(Disassembler.TRUNCATED, 3, at(0, true, "8b 05 12"));
        assertText(Disassembler.TRUNCATED, 1, at(0, true, "66"));
        assertText(Disassembler.TRUNCATED, 1, at(0, true, "0f"));
        assertText(Disassembler.TRUNCATED, 4, at(0, false, "ea 00 00 00"));
        byte[] code = HexFormat.of().parseHex("b878563412");
        assertText(Disassembler.TRUNCATED, 3, Disassembler.disassemble(code, 0, 3, 0, true));
        assertText("mov eax,0x12345678", 5, Disassembler.disassemble(code, 0, 5, 0, true));
    }

    @Test
    void moreThanFifteenBytesIsBadAndTakesFifteen() {
        assertText(Disassembler.BAD, 15, at(0, true, "66".repeat(15) + "90"));
        assertText("data16 nop", 15, at(0, true, "66".repeat(14) + "90"));
    }

    @Test
    void formatWorksOnTheDecodersOwnOutput() {
        byte[] code = HexFormat.of().parseHex("8b4508");
        Decoded d = new Decoder().decode(i -> i < code.length ? code[i] & 0xFF : ByteSource.END, true, new Decoded());
        assertEquals("mov eax,DWORD PTR [ebp+0x8]", Disassembler.format(d, 0x1000));
    }

    @Test
    void rejectsAnEmptyOrOutOfRangeWindow() {
        byte[] code = {(byte) 0x90};
        assertThrows(IllegalArgumentException.class, () -> Disassembler.disassemble(code, 1, 0, true));
        assertThrows(IndexOutOfBoundsException.class, () -> Disassembler.disassemble(code, 0, 2, 0, true));
    }

    /** Every byte sequence has a text and a length of 1 to 15 bytes, in both modes. */
    @Test
    void randomBytesAlwaysDisassemble() {
        Random random = new Random(0xD15A55L);
        byte[] code = new byte[24];
        for (int round = 0; round < 100_000; round++) {
            random.nextBytes(code);
            int limit = 1 + random.nextInt(code.length);
            boolean code32 = random.nextBoolean();
            Disassembler.Instruction insn = Disassembler.disassemble(code, 0, limit, random.nextInt(), code32);
            assertTrue(insn.length() >= 1 && insn.length() <= Math.min(limit, Decoder.MAX_LENGTH), insn.toString());
            assertFalse(insn.text().isEmpty() || insn.text().contains("null"), insn.toString());
        }
    }

    /** Every opcode of both maps, with every ModRM byte, formats (none reaches an unknown operand spec). */
    @Test
    void everyOpcodeAndModrmFormats() {
        byte[] code = new byte[16];
        for (int opcode = 0; opcode < 0x200; opcode++) {
            for (int modrm = 0; modrm < 256; modrm++) {
                int at = 0;
                if (opcode >= 0x100) {
                    code[at++] = 0x0F;
                }
                code[at++] = (byte) opcode;
                code[at++] = (byte) modrm;
                for (boolean code32 : new boolean[] {true, false}) {
                    Disassembler.Instruction insn = Disassembler.disassemble(code, 0, 0x1000, code32);
                    assertFalse(insn.text().isEmpty());
                }
            }
        }
    }
}
