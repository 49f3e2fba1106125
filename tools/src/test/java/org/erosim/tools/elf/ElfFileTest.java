package org.erosim.tools.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfFileTest {
    private static final byte[] CODE = {0x55, (byte) 0x89, (byte) 0xE5, (byte) 0xC3};

    private static byte[] sample() {
        return new TestElf(0x100000, CODE).label("_start", 0x100000).label("tail", 0x100003).build();
    }

    private static String failure(byte[] image) {
        return assertThrows(ElfException.class, () -> ElfFile.parse("k.elf", image)).getMessage();
    }

    /** Patches a little-endian value into a copy of the image. */
    private static byte[] patched(byte[] image, int offset, int size, long value) {
        byte[] copy = image.clone();
        for (int i = 0; i < size; i++) {
            copy[offset + i] = (byte) (value >>> (8 * i));
        }
        return copy;
    }

    private static int sectionHeader(byte[] image, int index) {
        int table = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(32);
        return table + index * ElfFile.SECTION_HEADER_SIZE;
    }

    @Test
    void readsHeaderSegmentsSectionsAndSymbols() throws ElfException {
        ElfFile elf = ElfFile.parse("k.elf", sample());
        assertEquals(ElfFile.ET_EXEC, elf.type());
        assertEquals(0x100000, elf.entry());
        assertEquals(1, elf.programHeaders().size());
        ElfFile.ProgramHeader p = elf.programHeaders().get(0);
        assertTrue(p.isLoad() && p.isExecutable());
        assertEquals(0x100000, p.virtualAddress());
        assertEquals(0x100000, p.physicalAddress());
        assertEquals(CODE.length, p.memorySize());
        assertArrayEquals(CODE, elf.bytes(p));
        assertEquals(List.of("", ".text", ".symtab", ".strtab", ".shstrtab"),
            elf.sections().stream().map(ElfFile.Section::name).toList());
        ElfFile.Section text = elf.sections().get(1);
        assertTrue(text.isExecutable());
        assertArrayEquals(CODE, elf.bytes(text));
        assertEquals(List.of("_start", "tail"), elf.symbols().stream().map(ElfFile.Symbol::name).toList());
        ElfFile.Symbol tail = elf.symbols().get(1);
        assertEquals(0x100003, tail.value());
        assertEquals(ElfFile.STT_FUNC, tail.type());
        assertEquals(1, tail.sectionIndex());
        assertTrue(tail.isLabel());
    }

    @Test
    void aFileWithoutSectionHeadersHasSegmentsOnly() throws ElfException {
        ElfFile elf = ElfFile.parse("k.elf", new TestElf(0x200000, CODE).withoutSections().build());
        assertTrue(elf.sections().isEmpty());
        assertTrue(elf.symbols().isEmpty());
        assertArrayEquals(CODE, elf.bytes(elf.programHeaders().get(0)));
    }

    @Test
    void rejectsWhatIsNotA32BitLittleEndianI386Elf() {
        assertEquals("k.elf: not an ELF file", failure(new byte[0]));
        assertEquals("k.elf: not an ELF file", failure("#!/bin/sh\necho hello\n".getBytes()));
        assertEquals("k.elf: not a 32-bit ELF (class 2)", failure(patched(sample(), 4, 1, 2)));
        assertEquals("k.elf: not a little-endian ELF (data encoding 2)", failure(patched(sample(), 5, 1, 2)));
        assertEquals("k.elf: unsupported ELF version 0", failure(patched(sample(), 6, 1, 0)));
        assertEquals("k.elf: not an i386 ELF (machine 62)", failure(patched(sample(), 18, 2, 62)));
        assertEquals("k.elf: truncated ELF header (40 bytes, expected 52)", failure(Arrays.copyOf(sample(), 40)));
        assertEquals("k.elf: truncated ELF header (10 bytes, expected 52)", failure(Arrays.copyOf(sample(), 10)));
    }

    @Test
    void rejectsProgramHeadersOutsideTheFileOrInconsistent() {
        assertEquals("k.elf: truncated program header table (1 x 32 bytes at offset 0xfff0, file size 0x"
            + Integer.toHexString(sample().length) + ")", failure(patched(sample(), 28, 4, 0xFFF0)));
        assertEquals("k.elf: program header entry size 56, expected 32", failure(patched(sample(), 42, 2, 56)));
        int ph = ElfFile.HEADER_SIZE;
        assertTrue(failure(patched(sample(), ph + 16, 4, 0x10000)).startsWith(
            "k.elf: segment 0 (PT_LOAD at 0x100000): file data beyond end of file (offset 0x54, size 0x10000"));
        assertTrue(failure(patched(sample(), ph + 4, 4, 0xFFFFFFF0L)).contains("file data beyond end of file"));
        assertEquals("k.elf: segment 0 (PT_LOAD at 0x100000): file size 0x4 larger than memory size 0x2",
            failure(patched(sample(), ph + 20, 4, 2)));
        assertEquals("k.elf: segment 0 (PT_LOAD at 0xfffffffe): extends past 4 GiB",
            failure(patched(sample(), ph + 8, 4, 0xFFFFFFFEL)));
    }

    @Test
    void rejectsSectionHeadersOutsideTheFileOrInconsistent() {
        byte[] elf = sample();
        assertTrue(failure(patched(elf, 32, 4, elf.length - 8)).startsWith("k.elf: truncated section header table"
            + " (5 x 40 bytes at offset"));
        assertEquals("k.elf: section header entry size 64, expected 40", failure(patched(elf, 46, 2, 64)));
        assertEquals("k.elf: section name table index 9 out of range (5 sections)", failure(patched(elf, 50, 2, 9)));
        assertEquals("k.elf: section name table (section 1) is not a string table", failure(patched(elf, 50, 2, 1)));
        assertTrue(failure(patched(elf, sectionHeader(elf, 1) + 20, 4, 0x7FFFFFFF))
            .startsWith("k.elf: section 1 (.text): data beyond end of file"));
        assertEquals("k.elf: section 2 name: offset 0x999 beyond string table 4 (size 0x21)",
            failure(patched(elf, sectionHeader(elf, 2), 4, 0x999)));
    }

    @Test
    void rejectsABrokenSymbolTable() {
        byte[] elf = sample();
        int symtab = sectionHeader(elf, 2);
        assertEquals("k.elf: section 2 (.symtab): symbol entry size 12, expected 16", failure(patched(elf, symtab + 36, 4, 12)));
        assertEquals("k.elf: section 2 (.symtab): size 0x2f is not a multiple of the symbol size 16",
            failure(patched(elf, symtab + 20, 4, 0x2F)));
        assertEquals("k.elf: section 2 (.symtab): string table link 1 is not a string table section",
            failure(patched(elf, symtab + 24, 4, 1)));
        int symbolOffset = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).getInt(symtab + 16);
        assertTrue(failure(patched(elf, symbolOffset + ElfFile.SYMBOL_SIZE, 4, 0x5000))
            .startsWith("k.elf: section 2 (.symtab): symbol 1 name: offset 0x5000 beyond string table 3"));
        int strtab = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).getInt(sectionHeader(elf, 3) + 16);
        int strtabSize = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).getInt(sectionHeader(elf, 3) + 20);
        assertTrue(failure(patched(elf, strtab + strtabSize - 1, 1, 'x')).contains("not terminated in string table 3"));
    }

    /**
     * Many symbols pointing into one long unterminated-looking name would expand a small
     * file into gigabytes of strings; the name budget stops that with a clear message.
     */
    @Test
    void nameExpansionIsBounded() {
        int symbols = 100_000;
        int nameLength = 20_000;
        ByteBuffer f = ByteBuffer.allocate(ElfFile.HEADER_SIZE + nameLength + 1 + symbols * ElfFile.SYMBOL_SIZE
            + 3 * ElfFile.SECTION_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int strtab = ElfFile.HEADER_SIZE;
        int symtab = strtab + nameLength + 1;
        int headers = symtab + symbols * ElfFile.SYMBOL_SIZE;
        f.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1}).position(16);
        f.putShort((short) ElfFile.ET_EXEC).putShort((short) ElfFile.EM_386).putInt(1).putInt(0).putInt(0)
            .putInt(headers).putInt(0).putShort((short) 52).putShort((short) 32).putShort((short) 0).putShort((short) 40)
            .putShort((short) 3).putShort((short) 0);
        f.position(strtab);
        for (int i = 0; i < nameLength; i++) {
            f.put((byte) 'a');
        }
        f.position(symtab + ElfFile.SYMBOL_SIZE);
        for (int i = 1; i < symbols; i++) {
            f.putInt(i % nameLength).putInt(0).putInt(0).putInt(0);
        }
        f.position(headers + ElfFile.SECTION_HEADER_SIZE);
        f.putInt(0).putInt(ElfFile.SHT_STRTAB).putInt(0).putInt(0).putInt(strtab).putInt(nameLength + 1).putInt(0)
            .putInt(0).putInt(1).putInt(0);
        f.putInt(0).putInt(ElfFile.SHT_SYMTAB).putInt(0).putInt(0).putInt(symtab).putInt(symbols * ElfFile.SYMBOL_SIZE)
            .putInt(1).putInt(0).putInt(4).putInt(ElfFile.SYMBOL_SIZE);
        assertTrue(failure(f.array()).startsWith("k.elf: section and symbol names exceed 64 MiB (at section 2:"));
    }

    @Test
    void readReportsMissingAndNonRegularFiles(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("none.elf");
        assertEquals(missing + ": no such file",
            assertThrows(ElfException.class, () -> ElfFile.read(missing)).getMessage());
        assertEquals(dir + ": not a regular file", assertThrows(ElfException.class, () -> ElfFile.read(dir)).getMessage());
        Path good = Files.write(dir.resolve("k.elf"), sample());
        assertEquals(0x100000, ElfFile.read(good).entry());
    }

    /**
     * Found by BootFuzzTest (its input section-name-with-a-newline): a section name is
     * whatever bytes the file holds, and quoted raw in an error it broke the message's line.
     */
    @Test
    void sectionNamesInErrorsAreQuotedPrintableAndShort() {
        assertEquals(".symtab", ElfFile.printable(".symtab"));
        assertEquals("\\xefG\\x0a\\x7f\\u4e2d", ElfFile.printable("\u00efG\n\u007f\u4e2d"));
        assertEquals("a".repeat(40), ElfFile.printable("a".repeat(40)));
        assertEquals("a".repeat(40) + "...", ElfFile.printable("a".repeat(41)));
        // escapes count as written: the second fuzzing finding was 39 U+FFFD, 234 characters quoted
        assertEquals("\\ufffd".repeat(6) + "...", ElfFile.printable("\ufffd".repeat(39)));
    }

    /**
     * Seeded random corruption — flipped bytes, overwritten header fields, truncation and
     * garbage behind a valid magic number — ends either in a parsed file whose every range
     * can be read, or in an ElfException with a one-line message naming the file; never in
     * another exception.
     */
    @Test
    void randomCorruptionOnlyEverEndsInElfExceptionOrAUsableFile() {
        Random random = new Random(0x5EED_E1F);
        byte[] good = sample();
        int rejected = 0;
        for (int round = 0; round < 30_000; round++) {
            byte[] image = corrupt(good, random);
            try {
                ElfFile elf = ElfFile.parse("fuzz.elf", image);
                readEverything(elf);
            } catch (ElfException e) {
                rejected++;
                String m = e.getMessage();
                assertTrue(m.startsWith("fuzz.elf: ") && !m.contains("\n") && m.length() < 200, m);
            } catch (RuntimeException e) {
                fail("round " + round + ": " + e + " for " + Arrays.toString(image), e);
            }
        }
        assertTrue(rejected > 1000, "corruption was detected: " + rejected);
    }

    private static byte[] corrupt(byte[] good, Random random) {
        byte[] image;
        switch (random.nextInt(4)) {
            case 0 -> {
                image = good.clone();
                for (int i = random.nextInt(8); i >= 0; i--) {
                    image[random.nextInt(image.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> {
                // header and table fields are where parsers go wrong: hit them with extreme values
                image = good.clone();
                int at = random.nextInt(image.length - 4) & ~1;
                long[] extremes = {0, 1, 0xFFFF, 0x7FFFFFFF, 0x80000000L, 0xFFFFFFFFL, random.nextInt()};
                image = patched(image, at, 1 + random.nextInt(4), extremes[random.nextInt(extremes.length)]);
            }
            case 2 -> image = Arrays.copyOf(good, random.nextInt(good.length));
            default -> {
                image = new byte[random.nextInt(600)];
                random.nextBytes(image);
                if (image.length >= 7) {
                    System.arraycopy(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1}, 0, image, 0, 7);
                }
                if (image.length >= 24) {
                    System.arraycopy(new byte[] {ElfFile.EM_386, 0, 1, 0, 0, 0}, 0, image, 18, 6);
                }
            }
        }
        return image;
    }

    private static void readEverything(ElfFile elf) {
        for (ElfFile.ProgramHeader p : elf.programHeaders()) {
            if (p.isLoad()) {
                assertEquals(p.fileSize(), elf.bytes(p).length);
            }
        }
        for (ElfFile.Section s : elf.sections()) {
            byte[] bytes = elf.bytes(s);
            assertEquals(s.hasFileData() ? s.size() : 0, bytes.length);
        }
        for (ElfFile.Symbol s : elf.symbols()) {
            assertFalse(s.name().contains("\0"));
        }
    }
}
