package org.erosim.tools.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.erosim.cpu.Cpu;
import org.erosim.cpu.Flags;
import org.erosim.cpu.Reg;
import org.erosim.mmu.PhysicalMemory;
import org.erosim.tools.elf.ElfException;
import org.erosim.tools.elf.ElfFile;

/**
 * Loads a Multiboot (version 1) kernel the way {@code qemu-system-i386 -kernel} and GRUB do,
 * and leaves the CPU in the state the Multiboot specification promises.
 *
 * <p>The header (magic 0x1BADB002, flags, checksum) must lie 4-byte aligned in the first
 * 8 KiB. With flag bit 16 the header's address fields say what to load; otherwise the
 * ELF32 PT_LOAD segments are loaded at their physical addresses and their BSS zeroed.
 * Required-feature bits 0 (page-aligned modules: trivially satisfied, there are none) and 1
 * (memory information) are honoured; bit 2 (video mode) is accepted and no video
 * information is provided, as QEMU does; any other bit in 3-15 is refused.
 *
 * <p>Machine state at entry: EAX = 0x2BADB002, EBX = physical address of the Multiboot
 * information (mem_lower/mem_upper, command line, memory map, boot loader name), 32-bit
 * protected mode with flat 4 GiB code (selector 0x08) and data (0x10) segments from a GDT
 * the loader leaves at 0x800, paging off, EFLAGS.IF = 0, A20 enabled.
 *
 * <p>Low memory layout used by the loader (below the 640 KiB the kernel may use freely
 * after reading the information structure): GDT at 0x800, information structure at
 * 0x9000, memory map at 0x9100, strings from 0x9400.
 */
public final class MultibootLoader {
    public static final int HEADER_MAGIC = 0x1BADB002;
    public static final int BOOT_MAGIC = 0x2BADB002;
    static final int SEARCH_BYTES = 8192;
    static final int GDT_ADDR = 0x800;
    static final int MBI_ADDR = 0x9000;
    static final int MMAP_ADDR = 0x9100;
    static final int STRINGS_ADDR = 0x9400;
    static final int STRINGS_LIMIT = 0x9FC00 - STRINGS_ADDR;
    private static final long LOW_MEMORY = 0x9FC00;

    private MultibootLoader() {
    }

    /** Where the header was found and what it asks for. */
    record Header(int offset, int flags, int headerAddr, int loadAddr, int loadEndAddr, int bssEndAddr,
        int entryAddr) {
        boolean addressFields() {
            return (flags & 0x10000) != 0;
        }
    }

    /**
     * Loads {@code image} (read from {@code file}) into {@code mem} and prepares {@code cpu}.
     *
     * @param commandLine the string passed as the Multiboot command line
     * @return the entry point
     */
    public static int load(String file, byte[] image, PhysicalMemory mem, Cpu cpu, String commandLine)
        throws BootException {
        if (!ElfFile.hasElfMagic(image)) {
            throw new BootException(file + ": not an ELF file (a Multiboot kernel must be ELF32; use --bios for ROM images)");
        }
        ElfFile elf;
        try {
            elf = ElfFile.parse(file, image);
        } catch (ElfException e) {
            throw new BootException(e.getMessage());
        }
        Header h = findHeader(file, image);
        int entry;
        if (h.addressFields()) {
            entry = loadByHeader(file, image, h, mem);
        } else {
            entry = loadElf(file, elf, mem);
        }
        writeInformation(mem, commandLine);
        enterProtectedMode(mem, cpu, entry);
        return entry;
    }

    static Header findHeader(String file, byte[] image) throws BootException {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int limit = Math.min(image.length - 12, SEARCH_BYTES - 12);
        for (int off = 0; off <= limit; off += 4) {
            if (b.getInt(off) != HEADER_MAGIC) {
                continue;
            }
            int flags = b.getInt(off + 4);
            int checksum = b.getInt(off + 8);
            if (HEADER_MAGIC + flags + checksum != 0) {
                continue; // magic by chance, not a header
            }
            int unsupported = flags & 0xFFF8;
            if (unsupported != 0) {
                throw new BootException(String.format(
                    "%s: the Multiboot header requires features this loader lacks (flags 0x%x)", file, unsupported));
            }
            if ((flags & 0x10000) != 0) {
                if (off + 32 > image.length) {
                    throw new BootException(file + ": Multiboot header with address fields is truncated");
                }
                return new Header(off, flags, b.getInt(off + 12), b.getInt(off + 16), b.getInt(off + 20),
                    b.getInt(off + 24), b.getInt(off + 28));
            }
            return new Header(off, flags, 0, 0, 0, 0, 0);
        }
        throw new BootException(file + ": no Multiboot header (magic 0x1BADB002 with a valid checksum) in the first 8 KiB");
    }

    private static int loadElf(String file, ElfFile elf, PhysicalMemory mem) throws BootException {
        if (elf.type() != ElfFile.ET_EXEC) {
            throw new BootException(file + ": not an executable ELF (type " + elf.type() + ")");
        }
        boolean any = false;
        for (ElfFile.ProgramHeader p : elf.programHeaders()) {
            if (!p.isLoad() || p.memorySize() == 0) {
                continue;
            }
            any = true;
            long pa = p.physicalAddress();
            long end = pa + p.memorySize();
            if (!mem.isRam(pa, p.memorySize())) {
                throw new BootException(String.format(
                    "%s: segment %d (physical 0x%x-0x%x) lies outside RAM (%d MiB; use --mem)", file, p.index(), pa,
                    end - 1, mem.ramSize() >> 20));
            }
            byte[] bytes = elf.bytes(p);
            mem.writeBytes(pa, bytes, 0, bytes.length);
            if (p.memorySize() > bytes.length) {
                mem.zero(pa + bytes.length, p.memorySize() - bytes.length);
            }
        }
        if (!any) {
            throw new BootException(file + ": no loadable segments");
        }
        return (int) elf.entry();
    }

    private static int loadByHeader(String file, byte[] image, Header h, PhysicalMemory mem) throws BootException {
        long headerAddr = h.headerAddr() & 0xFFFFFFFFL;
        long loadAddr = h.loadAddr() & 0xFFFFFFFFL;
        if (loadAddr > headerAddr) {
            throw new BootException(file + ": Multiboot load_addr lies above header_addr");
        }
        long fileStart = h.offset() - (headerAddr - loadAddr);
        if (fileStart < 0) {
            throw new BootException(file + ": Multiboot header addresses point before the start of the file");
        }
        long loadEnd = h.loadEndAddr() == 0 ? loadAddr + (image.length - fileStart) : h.loadEndAddr() & 0xFFFFFFFFL;
        long length = loadEnd - loadAddr;
        if (length < 0 || fileStart + length > image.length) {
            throw new BootException(file + ": Multiboot load_end_addr lies beyond the file");
        }
        long bssEnd = h.bssEndAddr() == 0 ? loadEnd : h.bssEndAddr() & 0xFFFFFFFFL;
        if (bssEnd < loadEnd || !mem.isRam(loadAddr, bssEnd - loadAddr)) {
            throw new BootException(String.format("%s: image 0x%x-0x%x lies outside RAM (%d MiB; use --mem)", file,
                loadAddr, bssEnd - 1, mem.ramSize() >> 20));
        }
        mem.writeBytes(loadAddr, image, (int) fileStart, (int) length);
        if (bssEnd > loadEnd) {
            mem.zero(loadEnd, bssEnd - loadEnd);
        }
        return h.entryAddr();
    }

    /** The Multiboot information structure, memory map and strings. */
    private static void writeInformation(PhysicalMemory mem, String commandLine) {
        long ram = mem.ramSize();
        int memUpperKb = (int) Math.min(0xFFFFFFFFL, Math.max(0, (ram - (1L << 20)) / 1024));
        byte[] cmd = (commandLine + "\0").getBytes(StandardCharsets.ISO_8859_1);
        byte[] name = "erosim\0".getBytes(StandardCharsets.ISO_8859_1);
        int cmdAddr = STRINGS_ADDR;
        int nameAddr = cmdAddr + Math.min(cmd.length, STRINGS_LIMIT - name.length);
        mem.writeBytes(cmdAddr, cmd, 0, Math.min(cmd.length, STRINGS_LIMIT - name.length));
        mem.write8(nameAddr - 1L, 0);
        mem.writeBytes(nameAddr, name, 0, name.length);
        // memory map: (size, base, length, type) entries; size excludes itself
        long[][] map = {
            {0, LOW_MEMORY, 1},
            {LOW_MEMORY, 0xA0000 - LOW_MEMORY, 2},
            {0xF0000, 0x10000, 2},
            {1L << 20, Math.max(0, ram - (1L << 20)), 1},
        };
        int p = MMAP_ADDR;
        for (long[] e : map) {
            mem.write32(p, 20);
            mem.write32(p + 4, (int) e[0]);
            mem.write32(p + 8, (int) (e[0] >>> 32));
            mem.write32(p + 12, (int) e[1]);
            mem.write32(p + 16, (int) (e[1] >>> 32));
            mem.write32(p + 20, (int) e[2]);
            p += 24;
        }
        int flags = 1 | (1 << 2) | (1 << 6) | (1 << 9); // mem, cmdline, mmap, boot loader name
        mem.zero(MBI_ADDR, 0x74);
        mem.write32(MBI_ADDR, flags);
        mem.write32(MBI_ADDR + 4, (int) (LOW_MEMORY / 1024));
        mem.write32(MBI_ADDR + 8, memUpperKb);
        mem.write32(MBI_ADDR + 16, cmdAddr);
        mem.write32(MBI_ADDR + 44, p - MMAP_ADDR);
        mem.write32(MBI_ADDR + 48, MMAP_ADDR);
        mem.write32(MBI_ADDR + 64, nameAddr);
    }

    /** Flat 32-bit protected mode with a GDT of null, code 0x08 and data 0x10 descriptors. */
    private static void enterProtectedMode(PhysicalMemory mem, Cpu cpu, int entry) {
        mem.write32(GDT_ADDR, 0);
        mem.write32(GDT_ADDR + 4, 0);
        mem.write32(GDT_ADDR + 8, 0x0000FFFF); // code: base 0, limit 4 GiB, 32-bit, exec/read
        mem.write32(GDT_ADDR + 12, 0x00CF9B00);
        mem.write32(GDT_ADDR + 16, 0x0000FFFF); // data: base 0, limit 4 GiB, 32-bit, read/write
        mem.write32(GDT_ADDR + 20, 0x00CF9300);
        cpu.reset();
        cpu.mmu.setA20(true);
        cpu.gdtBase = GDT_ADDR;
        cpu.gdtLimit = 23;
        cpu.setCr0(Cpu.CR0_PE | Cpu.CR0_ET);
        for (int s = 0; s <= Reg.GS; s++) {
            boolean code = s == Reg.CS;
            cpu.setSegmentCache(s, code ? 0x08 : 0x10, 0, 0xFFFFFFFF, code ? 0xC09B : 0xC093);
        }
        cpu.setEflags(Flags.FIXED1, 0xFFFFFFFF);
        cpu.r[Reg.EAX] = BOOT_MAGIC;
        cpu.r[Reg.EBX] = MBI_ADDR;
        cpu.eip = entry;
    }
}
