package org.erosim.cpu;

/**
 * I/O privilege: in protected mode with CPL &gt; IOPL, and always in virtual-8086 mode, every
 * port accessed must be permitted by the I/O permission bitmap of the current 32-bit TSS.
 */
final class Io {
    private Io() {
    }

    /** Raises #GP(0) unless ports {@code [port, port + size)} are accessible now. */
    static void checkPort(Cpu c, int port, int size) {
        if (!c.protectedMode() || (!c.v86() && c.cpl <= c.iopl())) {
            return;
        }
        int type = c.segAttr[Reg.TR] & 0xF;
        if ((type != 9 && type != 11) || Integer.compareUnsigned(c.segLimit[Reg.TR], 103) < 0) {
            throw c.gp(0);
        }
        int mapBase = c.readSys16(c.segBase[Reg.TR] + 102);
        int byteOff = mapBase + (port >>> 3);
        if (Integer.compareUnsigned(byteOff + 1, c.segLimit[Reg.TR]) > 0) {
            throw c.gp(0);
        }
        int bits = c.readSys16(c.segBase[Reg.TR] + byteOff);
        int mask = ((1 << size) - 1) << (port & 7);
        if ((bits & mask) != 0) {
            throw c.gp(0);
        }
    }
}
