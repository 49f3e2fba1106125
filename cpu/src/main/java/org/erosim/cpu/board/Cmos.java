package org.erosim.cpu.board;

/**
 * The MC146818 real-time clock and CMOS RAM (index port 0x70, data 0x71).
 *
 * <p>The memory-size registers report the board's RAM as a BIOS would have set them
 * (0x15/0x16 base memory 640 KiB, 0x17/0x18 and 0x30/0x31 KiB above 1 MiB capped at
 * 65535, 0x34/0x35 64 KiB blocks above 16 MiB). The clock runs on emulated time from a
 * fixed epoch (2000-01-01 00:00:00, a Saturday), in BCD and 24-hour mode unless status
 * register B says otherwise, so runs are deterministic.
 */
final class Cmos {
    private final byte[] ram = new byte[128];
    private int index;

    Cmos(long ramBytes) {
        long kbAbove1M = Math.max(0, ramBytes / 1024 - 1024);
        int ext = (int) Math.min(kbAbove1M, 0xFFFF);
        long blocksAbove16M = Math.max(0, (ramBytes - (16L << 20)) / (64 * 1024));
        int high = (int) Math.min(blocksAbove16M, 0xFFFF);
        ram[0x0A] = 0x26;
        ram[0x0B] = 0x02;
        ram[0x0D] = (byte) 0x80;
        ram[0x10] = 0;
        ram[0x14] = 0x06; // no floppy, 80x25 colour... no FPU bit (bit 1) set: no FPU
        ram[0x14] &= ~0x02;
        ram[0x15] = (byte) 0x80; // 640 KiB base memory
        ram[0x16] = 0x02;
        ram[0x17] = (byte) ext;
        ram[0x18] = (byte) (ext >>> 8);
        ram[0x30] = (byte) ext;
        ram[0x31] = (byte) (ext >>> 8);
        ram[0x34] = (byte) high;
        ram[0x35] = (byte) (high >>> 8);
    }

    void selectIndex(int v) {
        index = v & 0x7F; // bit 7 is the NMI mask, which this board does not model further
    }

    int read(long seconds) {
        switch (index) {
            case 0x00:
            case 0x02:
            case 0x04:
            case 0x06:
            case 0x07:
            case 0x08:
            case 0x09:
            case 0x32:
                return clock(index, seconds);
            case 0x0A:
                return ram[0x0A] & 0x7F; // never "update in progress"
            case 0x0C: {
                int v = ram[0x0C] & 0xFF;
                ram[0x0C] = 0;
                return v;
            }
            default:
                return ram[index] & 0xFF;
        }
    }

    void write(int v) {
        if (index == 0x0C || index == 0x0D) {
            return; // read-only status
        }
        ram[index] = (byte) v;
    }

    private int clock(int reg, long seconds) {
        long days = seconds / 86400;
        long s = seconds % 86400;
        int value;
        switch (reg) {
            case 0x00:
                value = (int) (s % 60);
                break;
            case 0x02:
                value = (int) (s / 60 % 60);
                break;
            case 0x04:
                value = (int) (s / 3600);
                break;
            case 0x06:
                value = (int) ((days + 6) % 7) + 1; // 2000-01-01 was a Saturday (day 7)
                break;
            default: {
                java.time.LocalDate d = java.time.LocalDate.of(2000, 1, 1).plusDays(days);
                value = reg == 0x07 ? d.getDayOfMonth() : reg == 0x08 ? d.getMonthValue()
                    : reg == 0x09 ? d.getYear() % 100 : d.getYear() / 100;
                break;
            }
        }
        boolean binary = (ram[0x0B] & 0x04) != 0;
        return binary ? value : ((value / 10) << 4) | (value % 10);
    }
}
