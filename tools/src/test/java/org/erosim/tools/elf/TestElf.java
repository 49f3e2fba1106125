package org.erosim.tools.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds small ELF32 i386 executables for tests: one PT_LOAD segment holding {@code .text}
 * at a given address and, unless left out, the section headers {@code .text},
 * {@code .symtab}, {@code .strtab} and {@code .shstrtab} with one global function symbol
 * per label — the layout {@code ld -m elf_i386} produces, in miniature.
 *
 * <pre>
 *   0  ELF header | 52 program header | 84 .text | .strtab | .shstrtab | .symtab | section headers
 * </pre>
 */
public final class TestElf {
    public static final int TEXT_OFFSET = ElfFile.HEADER_SIZE + ElfFile.PROGRAM_HEADER_SIZE;

    private final int address;
    private final byte[] text;
    private final Map<String, Integer> labels = new LinkedHashMap<>();
    private boolean sections = true;

    public TestElf(int address, byte[] text) {
        this.address = address;
        this.text = text.clone();
    }

    /** Adds a global function symbol. */
    public TestElf label(String name, int value) {
        labels.put(name, value);
        return this;
    }

    /** Leaves out the section header table (and with it the symbols): segments only. */
    public TestElf withoutSections() {
        sections = false;
        return this;
    }

    public byte[] build() {
        ByteArrayOutputStream strtab = new ByteArrayOutputStream();
        strtab.write(0);
        ByteBuffer symtab = le(ElfFile.SYMBOL_SIZE * (labels.size() + 1));
        symtab.position(ElfFile.SYMBOL_SIZE); // the null symbol
        for (Map.Entry<String, Integer> e : labels.entrySet()) {
            symtab.putInt(strtab.size()).putInt(e.getValue()).putInt(0);
            symtab.put((byte) (1 << 4 | ElfFile.STT_FUNC)).put((byte) 0).putShort((short) 1);
            strtab.writeBytes((e.getKey() + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        byte[] shstrtab = "\0.text\0.symtab\0.strtab\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
        int strtabOffset = TEXT_OFFSET + text.length;
        int shstrtabOffset = strtabOffset + strtab.size();
        int symtabOffset = align4(shstrtabOffset + shstrtab.length);
        int shOffset = symtabOffset + symtab.capacity();
        int shCount = sections ? 5 : 0;
        ByteBuffer f = le(shOffset + shCount * ElfFile.SECTION_HEADER_SIZE);
        header(f, sections ? shOffset : 0, shCount);
        f.position(ElfFile.HEADER_SIZE);
        f.putInt(ElfFile.PT_LOAD).putInt(TEXT_OFFSET).putInt(address).putInt(address).putInt(text.length)
            .putInt(text.length).putInt(ElfFile.PF_R | ElfFile.PF_X).putInt(0x1000);
        f.put(text).put(strtab.toByteArray()).put(shstrtab);
        f.position(symtabOffset);
        f.put(symtab.array());
        if (sections) {
            section(f, 0, 0, 0, 0, 0, 0, 0, 0);
            section(f, 1, 1, ElfFile.SHF_ALLOC | ElfFile.SHF_EXECINSTR, address, TEXT_OFFSET, text.length, 0, 0);
            section(f, 7, ElfFile.SHT_SYMTAB, 0, 0, symtabOffset, symtab.capacity(), 3, ElfFile.SYMBOL_SIZE);
            section(f, 15, ElfFile.SHT_STRTAB, 0, 0, strtabOffset, strtab.size(), 0, 0);
            section(f, 23, ElfFile.SHT_STRTAB, 0, 0, shstrtabOffset, shstrtab.length, 0, 0);
        }
        return f.array();
    }

    private void header(ByteBuffer f, int shOffset, int shCount) {
        f.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1, 0});
        f.position(16);
        f.putShort((short) ElfFile.ET_EXEC).putShort((short) ElfFile.EM_386).putInt(1).putInt(address)
            .putInt(ElfFile.HEADER_SIZE).putInt(shOffset).putInt(0).putShort((short) ElfFile.HEADER_SIZE)
            .putShort((short) ElfFile.PROGRAM_HEADER_SIZE).putShort((short) 1)
            .putShort((short) ElfFile.SECTION_HEADER_SIZE).putShort((short) shCount)
            .putShort((short) (shCount > 0 ? 4 : 0));
    }

    private static void section(ByteBuffer f, int name, int type, int flags, int addr, int offset, int size, int link,
        int entrySize) {
        f.putInt(name).putInt(type).putInt(flags).putInt(addr).putInt(offset).putInt(size).putInt(link).putInt(0)
            .putInt(type == 0 ? 0 : 1).putInt(entrySize);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int align4(int v) {
        return (v + 3) & ~3;
    }
}
