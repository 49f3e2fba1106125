package org.erosim.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compares the disassembler with GNU objdump, instruction by instruction, on the guest
 * programs {@code disasm32.S} (32-bit code) and {@code disasm16.S} (16-bit code), which
 * cover the integer instruction set: every ModRM/SIB form, 16/32-bit operand and address
 * sizes, segment overrides, LOCK/REP prefixes, branches, far pointers, moffs, string and
 * system instructions and the i486/P6 additions.
 *
 * <p>The Maven build assembles the programs ({@code src/test/guest/build.sh}); the expected
 * listings were made once by {@code src/test/guest/objdump-listings.sh} and are committed,
 * so this test does not need objdump. Each listing line must match the instruction the
 * disassembler finds at the same address: same length and, after {@link #normalise}, the
 * same text. The listing must also cover the binary without gaps.
 */
class DisassemblerObjdumpTest {
    /** Objdump line: address, instruction bytes, text (with {@code --insn-width=16}, one line each). */
    private static final Pattern LINE = Pattern.compile("^ *([0-9a-f]+):\\t([0-9a-f ]+?) *\\t(.*)$");

    /**
     * What the disassembler prints where it deliberately differs from objdump, and why.
     * {@code TARGET16} in {@code ours} stands for objdump's branch target truncated to 16
     * bits, so that the entries do not depend on where the instructions were assembled.
     */
    private record Deliberate(String ours, String reason) {
        String expected(String objdump) {
            Matcher target = Pattern.compile("0x([0-9a-f]+)$").matcher(objdump);
            return target.find()
                ? ours.replace("TARGET16", "0x" + Integer.toHexString(Integer.parseInt(target.group(1), 16) & 0xFFFF))
                : ours;
        }
    }

    /** The deliberate differences, by instruction bytes (the last section of disasm32.S). */
    private static final Map<String, Deliberate> DELIBERATE = Map.ofEntries(
        Map.entry("66 eb 10", new Deliberate("jmp TARGET16",
            "a 16-bit operand size truncates EIP to 16 bits, as the CPU executes it; objdump does not")),
        Map.entry("66 e9 10 00", new Deliberate("jmp TARGET16",
            "the truncated target already shows the 16-bit operand size: no 'w' suffix needed")),
        Map.entry("67 8b 06 f0 ff", new Deliberate("addr16 mov eax,DWORD PTR ds:0xfff0",
            "an address without registers does not show its size; objdump prints addr16 for moffs but not here")),
        Map.entry("d6", new Deliberate("salc",
            "SALC is undocumented but every IA-32 CPU up to the P6 executes it, and so does this one")),
        Map.entry("c0 f0 01", new Deliberate("sal al,0x1",
            "C0 /6 is the undocumented SAL alias of SHL (/4); the table names it so the encoding shows")),
        Map.entry("66 90", new Deliberate("data16 nop",
            "90 is NOP in the table whatever the operand size; objdump calls 66 90 xchg ax,ax")),
        Map.entry("f3 90", new Deliberate("repe nop",
            "PAUSE (P4, SSE2) is F3 NOP to a P6-class CPU without SSE2")),
        Map.entry("0f 18 00", new Deliberate("nop DWORD PTR [eax]",
            "0F 18 is a hint NOP to this CPU (no SSE prefetch)")),
        Map.entry("d9 00", new Deliberate("esc 0x8,[eax]",
            "no x87: ESC opcodes are shown with their 8086 ESC number, not as FPU mnemonics")),
        Map.entry("0f 01 c8", new Deliberate("(bad)",
            "MONITOR (SSE3) is #UD on this CPU")),
        Map.entry("8e f0", new Deliberate("(bad)",
            "there is no segment register 6: MOV to it is #UD; objdump prints 'mov ?,eax'")));

    @ParameterizedTest(name = "{0}")
    @CsvSource({"disasm32, true", "disasm16, false"})
    void everyInstructionOfTheObjdumpListingMatches(String program, boolean code32) throws IOException {
        byte[] code = resource("/guest/" + program + ".bin");
        String listing = new String(resource(program + ".objdump"), StandardCharsets.US_ASCII);
        int org = -1;
        int expectedOffset = 0;
        int matched = 0;
        List<String> mismatches = new ArrayList<>();
        Set<String> deliberateSeen = new HashSet<>();
        for (String line : listing.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int address = (int) Long.parseLong(m.group(1), 16);
            org = org < 0 ? address : org;
            int offset = address - org;
            assertEquals(expectedOffset, offset, () -> "listing gap before " + line);
            String bytes = m.group(2);
            int length = bytes.split(" ").length;
            expectedOffset = offset + length;
            Disassembler.Instruction insn = Disassembler.disassemble(code, offset, address, code32);
            Deliberate deliberate = code32 ? DELIBERATE.get(bytes) : null;
            if (deliberate != null) {
                deliberateSeen.add(bytes);
            }
            String expected = deliberate != null ? deliberate.expected(m.group(3)) : normalise(m.group(3), code32);
            if (insn.length() != length || !insn.text().equals(expected)) {
                mismatches.add(String.format("%08x: %-30s objdump '%s' (normalised '%s'), ours '%s' (%d bytes)",
                    address, bytes, m.group(3), expected, insn.text(), insn.length()));
            } else {
                matched++;
            }
        }
        assertEquals(code.length, expectedOffset, "the listing covers the whole binary");
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + (matched + mismatches.size()) + " instructions differ:\n"
                + String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size()))));
        }
        assertTrue(matched > (code32 ? 2000 : 600), "the listing was read: " + matched + " instructions");
        if (code32) {
            assertEquals(DELIBERATE.keySet(), deliberateSeen, "every listed difference occurs in disasm32.S");
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DisassemblerObjdumpTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name + " (built by src/test/guest/build.sh)");
            }
            return in.readAllBytes();
        }
    }

    // ------------------------------------------------------------------ normalisation

    private static final List<String> PREFIX_ORDER = List.of("es", "cs", "ss", "ds", "fs", "gs", "addr16",
        "addr32", "data16", "data32", "lock", "rep", "repe", "repne");
    private static final Set<String> STRING_OPS = Set.of("movs", "cmps", "stos", "lods", "scas", "ins", "outs");
    /** Objdump names the size variant by its difference from the mode; the table by the size. */
    private static final Map<String, String> SIZE_NAMES_IN_32BIT_CODE = Map.of("pusha", "pushad", "pushaw", "pusha",
        "popa", "popad", "popaw", "popa", "pushf", "pushfd", "pushfw", "pushf", "popf", "popfd", "popfw", "popf",
        "iret", "iretd", "iretw", "iret");
    private static final Set<String> DESCRIPTOR_TABLE_OPS = Set.of("lgdt", "lidt", "sgdt", "sidt");
    private static final Pattern STRING_SIZE = Pattern.compile("(BYTE|WORD|DWORD) PTR");
    private static final Pattern SOURCE_SEGMENT = Pattern.compile("(\\w\\w):\\[e?(?:si|bx)\\]");
    private static final Pattern NO_BASE_NO_INDEX = Pattern.compile("(\\w\\w:)?\\[eiz\\*\\d\\+(0x[0-9a-f]+)\\]");

    /**
     * Turns objdump's text into the disassembler's dialect. Each rule is a difference of
     * spelling, not of meaning:
     * <ul>
     * <li>whitespace: objdump pads the mnemonic to a column; one space here;</li>
     * <li>{@code repz}/{@code repnz} are written {@code repe}/{@code repne}, and prefix words
     *     come in one canonical order (segment, address size, operand size, lock, rep);</li>
     * <li>string instructions and XLAT: objdump's explicit operands
     *     ({@code rep movs DWORD PTR es:[di],DWORD PTR fs:[si]}) become the operand-less form
     *     with the size letter, plus a prefix word for a source segment other than DS and
     *     for an address size other than the mode's ({@code fs addr16 rep movsd});</li>
     * <li>in 32-bit code objdump writes PUSHA/POPA/PUSHF/POPF/IRET with a suffix only for
     *     16 bits ({@code pushaw}, {@code pusha}); the table's names say the size in either
     *     mode ({@code pusha}, {@code pushad});</li>
     * <li>objdump suffixes LGDT/LIDT/SGDT/SIDT even with the default operand size
     *     ({@code lgdtd} in 32-bit code); here only a non-default size is;</li>
     * <li>{@code fwait} is the table's {@code wait}; {@code invlpg} takes an address, not a
     *     {@code BYTE PTR} operand;</li>
     * <li>objdump shows a SIB byte without index as {@code +eiz*n}; the effective address
     *     is the same without it, and {@code [eiz*1+0x10]} is the absolute {@code ds:0x10}.</li>
     * </ul>
     */
    static String normalise(String objdump, boolean code32) {
        List<String> words = new ArrayList<>(List.of(objdump.trim().split("\\s+", -1)));
        List<String> prefixes = new ArrayList<>();
        while (words.size() > 1 && PREFIX_ORDER.contains(canonicalPrefix(words.get(0)))) {
            prefixes.add(canonicalPrefix(words.remove(0)));
        }
        String mnemonic = words.remove(0);
        String operands = String.join(" ", words);
        if (STRING_OPS.contains(mnemonic) || mnemonic.equals("xlat")) {
            Matcher size = STRING_SIZE.matcher(operands);
            size.find();
            Matcher segment = SOURCE_SEGMENT.matcher(operands);
            if (segment.find() && !segment.group(1).equals("ds")) {
                prefixes.add(segment.group(1));
            }
            boolean a32 = operands.contains("[e");
            if (a32 != code32) {
                prefixes.add(a32 ? "addr32" : "addr16");
            }
            mnemonic += mnemonic.equals("xlat") ? "b" : size.group(1).substring(0, 1).toLowerCase();
            operands = "";
        }
        if (code32) {
            mnemonic = SIZE_NAMES_IN_32BIT_CODE.getOrDefault(mnemonic, mnemonic);
        }
        String base = mnemonic.substring(0, mnemonic.length() - 1);
        if (DESCRIPTOR_TABLE_OPS.contains(base) && mnemonic.endsWith(code32 ? "d" : "w")) {
            mnemonic = base;
        }
        if (mnemonic.equals("fwait")) {
            mnemonic = "wait";
        }
        if (mnemonic.equals("invlpg")) {
            operands = operands.replace("BYTE PTR ", "");
        }
        operands = operands.replaceAll("\\+eiz\\*\\d", "");
        Matcher noRegisters = NO_BASE_NO_INDEX.matcher(operands);
        operands = noRegisters.replaceAll(r -> (r.group(1) != null ? r.group(1) : "ds:") + r.group(2));
        prefixes.sort((x, y) -> PREFIX_ORDER.indexOf(x) - PREFIX_ORDER.indexOf(y));
        StringBuilder b = new StringBuilder();
        prefixes.forEach(p -> b.append(p).append(' '));
        b.append(mnemonic);
        if (!operands.isEmpty()) {
            b.append(' ').append(operands);
        }
        return b.toString();
    }

    private static String canonicalPrefix(String word) {
        return word.equals("repz") ? "repe" : word.equals("repnz") ? "repne" : word;
    }
}
