package org.erosim.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.erosim.cpu.decode.Disassembler;
import org.erosim.tools.elf.ElfException;
import org.erosim.tools.elf.ElfFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code erosim disasm}: Intel-syntax listing of an ELF32 i386 file (its executable
 * sections, or its executable PT_LOAD segments when it has no section headers, with symbol
 * labels) or of a flat binary, through the CPU's own decoder tables
 * ({@link Disassembler}).
 */
@Command(name = "disasm", mixinStandardHelpOptions = true,
    description = {"Disassemble an ELF32 i386 file or a flat binary in Intel syntax.",
        "An ELF file (ELF magic number, or a name ending in .elf) is listed by executable",
        "section with symbol labels, or by executable PT_LOAD segment if it has no sections.",
        "Any other file is a flat binary loaded at --org.",
        "Exit status 2 for a missing, unreadable or malformed file or a bad option."})
final class DisasmCommand implements Callable<Integer> {
    /** Instruction bytes per listing line; longer instructions continue on the next lines. */
    private static final int BYTES_PER_LINE = 7;
    private static final long FOUR_GIB = 1L << 32;

    @Parameters(index = "0", paramLabel = "FILE", description = "An ELF32 i386 file or a flat binary.")
    Path file;

    @Option(names = "--start", paramLabel = "ADDR",
        description = "Start at this address (hex with 0x, or decimal) instead of the beginning.")
    String start;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N instructions.")
    Integer count;

    @Option(names = "--org", paramLabel = "ADDR", description = "Load address of a flat binary (default 0).")
    String org;

    @Option(names = "--16", description = "Decode 16-bit code (real mode, 16-bit protected mode) instead of 32-bit.")
    boolean code16;

    @Spec
    CommandSpec spec;

    /** Instructions still to print (--count). */
    private long remaining;

    /** A run of code to list: where it is loaded, its bytes and its ELF section index (or -1). */
    private record CodeRange(String title, long address, byte[] code, int section) {
        boolean contains(long a) {
            return a >= address && a < address + code.length;
        }
    }

    @Override
    public Integer call() {
        if (count != null && count < 1) {
            throw new UsageException("--count must be at least 1, not " + count);
        }
        remaining = count != null ? count : Long.MAX_VALUE;
        byte[] data = readFile(file);
        Long startAddress = start != null ? parseAddress("--start", start) : null;
        PrintWriter out = spec.commandLine().getOut();
        if (ElfFile.hasElfMagic(data) || file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".elf")) {
            listElf(out, data, startAddress);
        } else {
            listFlat(out, data, startAddress);
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private void listFlat(PrintWriter out, byte[] data, Long startAddress) {
        long base = org != null ? parseAddress("--org", org) : 0;
        if (base + data.length > FOUR_GIB) {
            throw new UsageException(file + ": " + data.length + " bytes at --org " + hex(base) + " extend past 4 GiB");
        }
        CodeRange range = new CodeRange(null, base, data, -1);
        long from = startAddress != null ? startAddress : base;
        if (startAddress != null && !range.contains(from)) {
            throw new UsageException("--start " + hex(from) + " is outside " + file + " (" + hex(base) + "-"
                + hex(base + data.length - 1) + ")");
        }
        list(out, range, from, Map.of());
    }

    private void listElf(PrintWriter out, byte[] data, Long startAddress) {
        if (org != null) {
            throw new UsageException("--org is for flat binaries; " + file + " is an ELF file");
        }
        ElfFile elf;
        try {
            elf = ElfFile.parse(file.toString(), data);
        } catch (ElfException e) {
            throw new UsageException(e.getMessage());
        }
        List<CodeRange> ranges = codeRanges(elf);
        if (ranges.isEmpty()) {
            throw new UsageException(file + ": no executable sections or segments");
        }
        int first = 0;
        if (startAddress != null) {
            first = -1;
            for (int i = 0; i < ranges.size() && first < 0; i++) {
                first = ranges.get(i).contains(startAddress) ? i : -1;
            }
            if (first < 0) {
                throw new UsageException("--start " + hex(startAddress) + " is not in an executable section of " + file);
            }
        }
        for (int i = first; i < ranges.size() && remaining > 0; i++) {
            CodeRange r = ranges.get(i);
            long from = i == first && startAddress != null ? startAddress : r.address();
            list(out, r, from, labels(elf, r.section()));
        }
    }

    /** Executable sections with bytes; executable PT_LOAD segments when there are no sections. */
    private static List<CodeRange> codeRanges(ElfFile elf) {
        List<CodeRange> ranges = new ArrayList<>();
        for (ElfFile.Section s : elf.sections()) {
            if (s.isExecutable() && s.hasFileData() && s.size() > 0) {
                ranges.add(new CodeRange("section " + s.name(), s.address(), elf.bytes(s), s.index()));
            }
        }
        if (elf.sections().isEmpty()) {
            for (ElfFile.ProgramHeader p : elf.programHeaders()) {
                if (p.isLoad() && p.isExecutable() && p.fileSize() > 0) {
                    ranges.add(new CodeRange("segment " + p.index(), p.virtualAddress(), elf.bytes(p), -1));
                }
            }
        }
        return ranges;
    }

    /**
     * The labels of one section by address, in symbol-table order. Only the section's own
     * symbols count: in relocatable files every section starts at address 0.
     */
    private static Map<Long, List<String>> labels(ElfFile elf, int section) {
        Map<Long, List<String>> labels = new HashMap<>();
        for (ElfFile.Symbol s : elf.symbols()) {
            if (s.isLabel() && s.sectionIndex() == section) {
                labels.computeIfAbsent(s.value(), k -> new ArrayList<>()).add(s.name());
            }
        }
        return labels;
    }

    private void list(PrintWriter out, CodeRange range, long from, Map<Long, List<String>> labels) {
        if (range.title() != null) {
            out.printf("%nDisassembly of %s:%n", range.title());
        }
        byte[] code = range.code();
        int offset = (int) (from - range.address());
        while (offset < code.length && remaining > 0) {
            long address = range.address() + offset;
            for (String label : labels.getOrDefault(address, List.of())) {
                out.printf("%n%08x <%s>:%n", address, label);
            }
            Disassembler.Instruction insn = Disassembler.disassemble(code, offset, (int) address, !code16);
            printInstruction(out, code, offset, insn, address);
            offset += insn.length();
            remaining--;
        }
    }

    /** {@code   0010000c: 8b 45 08              mov eax,DWORD PTR [ebp+0x8]}, bytes beyond 7 on further lines. */
    private static void printInstruction(PrintWriter out, byte[] code, int offset, Disassembler.Instruction insn,
        long address) {
        for (int done = 0; done < insn.length(); done += BYTES_PER_LINE) {
            StringBuilder bytes = new StringBuilder(3 * BYTES_PER_LINE);
            for (int i = done; i < Math.min(insn.length(), done + BYTES_PER_LINE); i++) {
                bytes.append(bytes.length() > 0 ? " " : "").append(String.format("%02x", code[offset + i]));
            }
            if (done == 0) {
                out.printf("  %08x: %-22s%s%n", address, bytes, insn.text());
            } else {
                out.printf("  %08x: %s%n", address + done, bytes);
            }
        }
    }

    private static byte[] readFile(Path file) {
        if (!Files.exists(file)) {
            throw new UsageException(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": not a regular file");
        }
        try {
            long size = Files.size(file);
            if (size > ElfFile.MAX_FILE_SIZE) {
                throw new UsageException(file + ": too large (" + size + " bytes, at most " + ElfFile.MAX_FILE_SIZE + ")");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** A 32-bit address: {@code 0x}-prefixed hexadecimal or decimal. */
    static long parseAddress(String option, String text) {
        String digits = text.trim();
        int radix = 10;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            digits = digits.substring(2);
            radix = 16;
        }
        try {
            long v = Long.parseLong(digits, radix);
            if (v >= 0 && v < FOUR_GIB && !digits.startsWith("+") && !digits.startsWith("-")) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the option's name
        }
        throw new UsageException("invalid " + option + " '" + text + "': expected an address from 0 to 0xffffffff,"
            + " hexadecimal with 0x or decimal");
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
