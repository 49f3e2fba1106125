package org.erosim.tools.elf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An ELF32 little-endian i386 file (System V ABI, i386 supplement), read whole and
 * validated once: the header, the program headers, the section headers with their names
 * and the symbol table if there is one. Used by {@code erosim disasm} and the Multiboot
 * loader ({@link #entry()}, {@link #programHeaders()}, {@link #bytes(ProgramHeader)}).
 *
 * <p>Invariant after construction: every offset and size this class hands out lies inside
 * the file, every name is resolved, and no segment wraps past 4 GiB — so users index the
 * data without further checks. Any violation is an {@link ElfException} whose message
 * starts with the file name; no other exception escapes {@link #parse} for any input.
 *
 * <pre>
 *  ELF header (52 bytes)       0: e_ident[16]  7F 'E' 'L' 'F', class, data, version, ...
 *                             16: e_type u16, e_machine u16, e_version u32, e_entry u32,
 *                             28: e_phoff u32, e_shoff u32, e_flags u32, e_ehsize u16,
 *                             42: e_phentsize u16, e_phnum u16, e_shentsize u16,
 *                             48: e_shnum u16, e_shstrndx u16
 *  program header (32 bytes)   p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz,
 *                              p_flags, p_align (all u32)
 *  section header (40 bytes)   sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size,
 *                              sh_link, sh_info, sh_addralign, sh_entsize (all u32)
 *  symbol (16 bytes)           st_name u32, st_value u32, st_size u32, st_info u8,
 *                              st_other u8, st_shndx u16
 * </pre>
 */
public final class ElfFile {
    public static final int HEADER_SIZE = 52;
    public static final int PROGRAM_HEADER_SIZE = 32;
    public static final int SECTION_HEADER_SIZE = 40;
    public static final int SYMBOL_SIZE = 16;
    /** Larger files are refused before reading: no image a test kernel needs comes near. */
    public static final long MAX_FILE_SIZE = 256L << 20;
    /**
     * Bounds on what a crafted file can make the reader hold: symbols (a kernel has some
     * thousands) and the total bytes of distinct names (names may share string-table bytes,
     * so without a bound a small file could expand into gigabytes of strings).
     */
    public static final int MAX_SYMBOLS = 1 << 20;
    public static final long MAX_NAME_BYTES = 64L << 20;

    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int EM_386 = 3;
    public static final int PT_LOAD = 1;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;
    public static final int SHT_NULL = 0;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_NOBITS = 8;
    public static final int SHF_WRITE = 1;
    public static final int SHF_ALLOC = 2;
    public static final int SHF_EXECINSTR = 4;
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STT_FILE = 4;
    /** Section indexes from here up are special (absolute, common, ...), not sections. */
    public static final int SHN_LORESERVE = 0xFF00;
    /** e_phnum value meaning "more than 65534, count elsewhere" (not supported). */
    private static final int PN_XNUM = 0xFFFF;
    private static final long FOUR_GIB = 1L << 32;

    /** One program header; addresses and sizes are unsigned 32-bit values. */
    public record ProgramHeader(int index, int type, long offset, long virtualAddress, long physicalAddress,
        long fileSize, long memorySize, int flags, long align) {
        public boolean isLoad() {
            return type == PT_LOAD;
        }

        public boolean isExecutable() {
            return (flags & PF_X) != 0;
        }
    }

    /** One section header with its name resolved. */
    public record Section(int index, String name, int type, long flags, long address, long offset, long size,
        int link, int info, long entrySize) {
        /** Has bytes in the file (not SHT_NOBITS such as .bss, not the null section). */
        public boolean hasFileData() {
            return type != SHT_NOBITS && type != SHT_NULL;
        }

        public boolean isExecutable() {
            return (flags & SHF_EXECINSTR) != 0;
        }
    }

    /** One symbol-table entry with its name resolved. */
    public record Symbol(String name, long value, long size, int type, int binding, int sectionIndex) {
        /** Names a place in code or data (not a file or section marker, not undefined). */
        public boolean isLabel() {
            return !name.isEmpty() && type != STT_SECTION && type != STT_FILE && sectionIndex != 0
                && sectionIndex < SHN_LORESERVE;
        }
    }

    private final String file;
    private final byte[] data;
    private final int type;
    private final long entry;
    private final List<ProgramHeader> programHeaders;
    private final List<Section> sections;
    private final List<Symbol> symbols;
    /** Names already read, by string table index and offset: repeated names cost nothing. */
    private final Map<Long, String> nameCache = new HashMap<>();
    /** What is left of {@link #MAX_NAME_BYTES}; also bounds the scanning for terminators. */
    private long nameBytesLeft = MAX_NAME_BYTES;

    private ElfFile(String file, byte[] data) throws ElfException {
        this.file = file;
        this.data = data;
        checkIdent();
        this.type = u16(16);
        this.entry = u32(24);
        this.programHeaders = List.copyOf(readProgramHeaders());
        this.sections = List.copyOf(readSections());
        this.symbols = List.copyOf(readSymbols());
    }

    /** Reads and validates {@code path}; every failure, I/O included, is an {@link ElfException}. */
    public static ElfFile read(Path path) throws ElfException {
        String name = path.toString();
        try {
            if (Files.exists(path) && !Files.isRegularFile(path)) {
                throw new ElfException(name + ": not a regular file");
            }
            long size = Files.size(path);
            if (size > MAX_FILE_SIZE) {
                throw new ElfException(name + ": too large (" + size + " bytes, at most " + MAX_FILE_SIZE + ")");
            }
            return parse(name, Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw new ElfException(name + ": no such file");
        } catch (IOException e) {
            throw new ElfException(name + ": cannot read: " + e.getMessage());
        }
    }

    /** Validates {@code data} (not copied: the caller hands it over); {@code file} names it in messages. */
    public static ElfFile parse(String file, byte[] data) throws ElfException {
        return new ElfFile(file, Objects.requireNonNull(data));
    }

    /** True if {@code data} starts with the ELF magic number (whatever follows). */
    public static boolean hasElfMagic(byte[] data) {
        return data.length >= 4 && data[0] == 0x7F && data[1] == 'E' && data[2] == 'L' && data[3] == 'F';
    }

    public String file() {
        return file;
    }

    /** e_type: {@link #ET_EXEC}, {@link #ET_REL}, {@link #ET_DYN} or another value. */
    public int type() {
        return type;
    }

    /** e_entry: the virtual address execution starts at. */
    public long entry() {
        return entry;
    }

    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    /** All sections in header order, index 0 (the null section) included when present. */
    public List<Section> sections() {
        return sections;
    }

    /** The entries of the first SHT_SYMTAB section, or empty; entry 0 (the null symbol) omitted. */
    public List<Symbol> symbols() {
        return symbols;
    }

    public int size() {
        return data.length;
    }

    /** The segment's bytes in the file (p_filesz of them; the loader zeroes the rest of p_memsz). */
    public byte[] bytes(ProgramHeader p) {
        return fileBytes(p.offset(), (int) p.fileSize());
    }

    /** The section's bytes, or none for SHT_NOBITS and the null section. */
    public byte[] bytes(Section s) {
        return s.hasFileData() ? fileBytes(s.offset(), (int) s.size()) : new byte[0];
    }

    /** A copy of {@code length} bytes of the file from {@code offset} (e.g. to find a Multiboot header). */
    public byte[] fileBytes(long offset, int length) {
        Objects.checkFromIndexSize(offset, length, (long) data.length);
        return Arrays.copyOfRange(data, (int) offset, (int) offset + length);
    }

    // ------------------------------------------------------------------ validation

    private ElfException error(String what) {
        return new ElfException(file + ": " + what);
    }

    private void checkIdent() throws ElfException {
        if (!hasElfMagic(data)) {
            throw error("not an ELF file");
        }
        if (data.length < 16) {
            throw error("truncated ELF header (" + data.length + " bytes, expected " + HEADER_SIZE + ")");
        }
        if (data[4] != 1) {
            throw error("not a 32-bit ELF (class " + data[4] + ")");
        }
        if (data[5] != 1) {
            throw error("not a little-endian ELF (data encoding " + data[5] + ")");
        }
        if (data[6] != 1) {
            throw error("unsupported ELF version " + data[6]);
        }
        if (data.length < HEADER_SIZE) {
            throw error("truncated ELF header (" + data.length + " bytes, expected " + HEADER_SIZE + ")");
        }
        if (u16(18) != EM_386) {
            throw error("not an i386 ELF (machine " + u16(18) + ")");
        }
        if (u32(20) != 1) {
            throw error("unsupported ELF version " + u32(20) + " in e_version");
        }
    }

    private List<ProgramHeader> readProgramHeaders() throws ElfException {
        long tableOffset = u32(28);
        int count = u16(44);
        List<ProgramHeader> out = new ArrayList<>(Math.min(count, 64));
        if (count == 0) {
            return out;
        }
        if (count == PN_XNUM) {
            throw error("extended program header numbering (e_phnum 0xffff) is not supported");
        }
        if (u16(42) != PROGRAM_HEADER_SIZE) {
            throw error("program header entry size " + u16(42) + ", expected " + PROGRAM_HEADER_SIZE);
        }
        if (!inFile(tableOffset, (long) count * PROGRAM_HEADER_SIZE)) {
            throw error("truncated program header table (" + count + " x " + PROGRAM_HEADER_SIZE + " bytes at offset "
                + hex(tableOffset)
                + ", file size " + hex(data.length) + ")");
        }
        for (int i = 0; i < count; i++) {
            out.add(programHeader(i, (int) (tableOffset + (long) i * PROGRAM_HEADER_SIZE)));
        }
        return out;
    }

    private ProgramHeader programHeader(int index, int at) throws ElfException {
        ProgramHeader p = new ProgramHeader(index, (int) u32(at), u32(at + 4), u32(at + 8), u32(at + 12),
            u32(at + 16), u32(at + 20), (int) u32(at + 24), u32(at + 28));
        if (!p.isLoad()) {
            return p; // only loadable segments are used; others are kept as they are
        }
        String where = "segment " + index + " (PT_LOAD at " + hex(p.virtualAddress()) + "): ";
        if (!inFile(p.offset(), p.fileSize())) {
            throw error(where + "file data beyond end of file (offset " + hex(p.offset()) + ", size "
                + hex(p.fileSize()) + ", file size " + hex(data.length) + ")");
        }
        if (p.fileSize() > p.memorySize()) {
            throw error(where + "file size " + hex(p.fileSize()) + " larger than memory size " + hex(p.memorySize()));
        }
        if (p.virtualAddress() + p.memorySize() > FOUR_GIB || p.physicalAddress() + p.memorySize() > FOUR_GIB) {
            throw error(where + "extends past 4 GiB");
        }
        return p;
    }

    private List<Section> readSections() throws ElfException {
        long tableOffset = u32(32);
        int count = u16(48);
        if (count == 0) {
            return new ArrayList<>(); // no section headers (or extended numbering, unused by i386 tools)
        }
        if (u16(46) != SECTION_HEADER_SIZE) {
            throw error("section header entry size " + u16(46) + ", expected " + SECTION_HEADER_SIZE);
        }
        if (!inFile(tableOffset, (long) count * SECTION_HEADER_SIZE)) {
            throw error("truncated section header table (" + count + " x " + SECTION_HEADER_SIZE + " bytes at offset "
                + hex(tableOffset)
                + ", file size " + hex(data.length) + ")");
        }
        int namesIndex = u16(50);
        if (namesIndex >= count) {
            throw error("section name table index " + namesIndex + " out of range (" + count + " sections)");
        }
        Section names = namesIndex == 0 ? null : section(tableOffset, namesIndex, "");
        if (names != null && names.type() != SHT_STRTAB) {
            throw error("section name table (section " + namesIndex + ") is not a string table");
        }
        List<Section> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long nameOffset = u32((int) (tableOffset + (long) i * SECTION_HEADER_SIZE));
            String name = names == null ? "" : string(names, nameOffset, "section " + i + " name");
            out.add(section(tableOffset, i, name));
        }
        return out;
    }

    /** Section {@code index} of the table at {@code tableOffset}, its file data range checked. */
    private Section section(long tableOffset, int index, String name) throws ElfException {
        int at = (int) (tableOffset + (long) index * SECTION_HEADER_SIZE);
        Section s = new Section(index, name, (int) u32(at + 4), u32(at + 8), u32(at + 12), u32(at + 16),
            u32(at + 20), (int) u32(at + 24), (int) u32(at + 28), u32(at + 36));
        if (s.hasFileData() && !inFile(s.offset(), s.size())) {
            throw error(describe(s) + ": data beyond end of file (offset " + hex(s.offset()) + ", size " + hex(s.size()) + ", file size " + hex(data.length) + ")");
        }
        return s;
    }

    private List<Symbol> readSymbols() throws ElfException {
        Section table = null;
        for (Section s : sections) {
            if (s.type() == SHT_SYMTAB) {
                table = s;
                break;
            }
        }
        List<Symbol> out = new ArrayList<>();
        if (table == null) {
            return out;
        }
        String where = describe(table) + ": ";
        if (table.entrySize() != SYMBOL_SIZE) {
            throw error(where + "symbol entry size " + table.entrySize() + ", expected " + SYMBOL_SIZE);
        }
        if (table.size() % SYMBOL_SIZE != 0) {
            throw error(where + "size " + hex(table.size()) + " is not a multiple of the symbol size " + SYMBOL_SIZE);
        }
        if (table.link() <= 0 || table.link() >= sections.size() || sections.get(table.link()).type() != SHT_STRTAB) {
            throw error(where + "string table link " + table.link() + " is not a string table section");
        }
        Section names = sections.get(table.link());
        long symbolCount = table.size() / SYMBOL_SIZE;
        if (symbolCount > MAX_SYMBOLS) {
            throw error(where + symbolCount + " symbols, at most " + MAX_SYMBOLS + " are supported");
        }
        for (int i = 1; i < symbolCount; i++) {
            out.add(symbol((int) table.offset() + i * SYMBOL_SIZE, names, where + "symbol " + i + " name"));
        }
        return out;
    }

    private Symbol symbol(int at, Section names, String what) throws ElfException {
        int info = data[at + 12] & 0xFF;
        String name = string(names, u32(at), what);
        return new Symbol(name, u32(at + 4), u32(at + 8), info & 0xF, info >>> 4, u16(at + 14));
    }

    /** The NUL-terminated string at {@code offset} in string table {@code table}. */
    private String string(Section table, long offset, String what) throws ElfException {
        if (offset >= table.size()) {
            throw error(what + ": offset " + hex(offset) + " beyond string table " + table.index() + " (size "
                + hex(table.size()) + ")");
        }
        long key = (long) table.index() << 32 | offset;
        String known = nameCache.get(key);
        if (known != null) {
            return known;
        }
        int start = (int) (table.offset() + offset);
        int end = (int) Math.min(table.offset() + table.size(), start + nameBytesLeft + 1);
        for (int i = start; i < end; i++) {
            if (data[i] == 0) {
                nameBytesLeft -= i - start;
                String name = new String(data, start, i - start, StandardCharsets.UTF_8);
                nameCache.put(key, name);
                return name;
            }
        }
        if (end < table.offset() + table.size()) {
            throw error("section and symbol names exceed " + (MAX_NAME_BYTES >> 20) + " MiB (at " + what + ")");
        }
        throw error(what + ": string at offset " + hex(offset) + " not terminated in string table " + table.index());
    }

    /** "section 2 (.symtab)", or "section 2" when sections have no names. */
    private static String describe(Section s) {
        return "section " + s.index() + (s.name().isEmpty() ? "" : " (" + printable(s.name()) + ")");
    }

    /** Most characters of a section name an error message quotes (escapes counted as written). */
    private static final int QUOTED_NAME = 40;

    /**
     * {@code name} as an error message may quote it: a name is whatever bytes the file holds,
     * and a newline or another control character in it would break the message's one line
     * (found by BootFuzzTest). Characters outside printable ASCII become {@code \xNN} (below
     * U+0100) or a backslash, {@code u} and four hex digits; what would be longer than
     * {@link #QUOTED_NAME} characters written out is cut, with "...".
     */
    static String printable(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            String next = c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format(c < 0x100 ? "\\x%02x" : "\\u%04x", (int) c);
            if (b.length() + next.length() > QUOTED_NAME) {
                return b.append("...").toString();
            }
            b.append(next);
        }
        return b.toString();
    }

    private boolean inFile(long offset, long length) {
        return offset >= 0 && length >= 0 && offset + length <= data.length;
    }

    private int u16(int at) {
        return (data[at] & 0xFF) | (data[at + 1] & 0xFF) << 8;
    }

    private long u32(int at) {
        return (data[at] & 0xFFL) | (data[at + 1] & 0xFFL) << 8 | (data[at + 2] & 0xFFL) << 16
            | (data[at + 3] & 0xFFL) << 24;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
