package org.erosim.cpu;

/**
 * Register numbering, as encoded in ModRM and opcode bits.
 *
 * <p>General registers index {@link Cpu#r}; index {@link #ZERO} is a constant zero slot so
 * that effective addresses compute as {@code r[base] + (r[index] << scale) + disp} with no
 * branches when base or index is absent. Segment registers index the segment caches.
 */
public final class Reg {
    private Reg() {
    }

    public static final int EAX = 0;
    public static final int ECX = 1;
    public static final int EDX = 2;
    public static final int EBX = 3;
    public static final int ESP = 4;
    public static final int EBP = 5;
    public static final int ESI = 6;
    public static final int EDI = 7;
    /** Always zero; stands for "no base" / "no index" in an effective address. */
    public static final int ZERO = 8;

    public static final int ES = 0;
    public static final int CS = 1;
    public static final int SS = 2;
    public static final int DS = 3;
    public static final int FS = 4;
    public static final int GS = 5;
    /** Internal cache slots for the system segments (not addressable by instructions). */
    public static final int LDTR = 6;
    public static final int TR = 7;
    public static final int SEG_COUNT = 8;

    public static final String[] NAMES32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    public static final String[] NAMES16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    public static final String[] NAMES8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
    public static final String[] SEG_NAMES = {"es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr"};
}
