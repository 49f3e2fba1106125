package org.erosim.cpu.decode;

/**
 * Operand specifications in the notation of Intel's opcode maps (SDM Vol. 2, Appendix A):
 * addressing method letter + operand type. They drive both the decoder (which bytes follow
 * the opcode) and the disassembler (how to print them).
 */
public final class Operand {
    private Operand() {
    }

    public static final int NONE = 0;
    // ModRM r/m: register or memory
    public static final int Eb = 1;
    public static final int Ew = 2;
    public static final int Ed = 3;
    public static final int Ev = 4;
    // ModRM reg: general register
    public static final int Gb = 5;
    public static final int Gw = 6;
    public static final int Gd = 7;
    public static final int Gv = 8;
    // immediates
    public static final int Ib = 9;
    public static final int Iw = 10;
    public static final int Iv = 11;
    /** imm8 sign-extended to the operand size. */
    public static final int Ibs = 12;
    // relative branch targets
    public static final int Jb = 13;
    public static final int Jv = 14;
    /** ModRM memory operand of no particular size (LEA, LGDT, INVLPG, BOUND pair, ...). */
    public static final int M = 15;
    /** ModRM memory far pointer (16:16 or 16:32). */
    public static final int Mp = 16;
    /** Immediate far pointer (16:16 or 16:32). */
    public static final int Ap = 17;
    /** Memory offset (moffs) of byte / operand size. */
    public static final int Ob = 18;
    public static final int Ov = 19;
    /** Segment register from ModRM reg. */
    public static final int Sw = 20;
    /** Control / debug / test register from ModRM reg. */
    public static final int Cd = 21;
    public static final int Dd = 22;
    public static final int Td = 23;
    /** General register from ModRM r/m (mod ignored: MOV CRn/DRn). */
    public static final int Rd = 24;
    /** Register from the opcode's low three bits. */
    public static final int Zb = 25;
    public static final int Zv = 26;
    // fixed operands
    public static final int AL = 27;
    public static final int CL = 28;
    public static final int DX = 29;
    /** AX / EAX by operand size. */
    public static final int eAX = 30;
    public static final int ONE = 31;
    public static final int sES = 32;
    public static final int sCS = 33;
    public static final int sSS = 34;
    public static final int sDS = 35;
    public static final int sFS = 36;
    public static final int sGS = 37;
    /** String source DS:(E)SI, destination ES:(E)DI. */
    public static final int Xb = 38;
    public static final int Xv = 39;
    public static final int Yb = 40;
    public static final int Yv = 41;
    /** ModRM memory operand of 64 bits (CMPXCHG8B), of a pair (BOUND), of 6 bytes (LGDT). */
    public static final int Mq = 42;
    public static final int Ma = 43;
    public static final int Ms = 44;
    /** AX always 16-bit (for FNSTSW-less forms, unused) and Ew for MOV Sw forms. */
    public static final int AX = 45;
    /** Word immediate used as the 2nd immediate of ENTER (Iw) is {@link #Iw}; 3rd: Ib2. */
    public static final int Ib2 = 46;
    /**
     * ModRM r/m that is always a word in memory but a register of the operand size in its
     * register form (Intel's "Rv/Mw"): MOV to and from Sreg, SLDT, STR, LAR, LSL.
     */
    public static final int RvMw = 47;

    /** True if the operand is taken from the ModRM byte's r/m field. */
    public static boolean isRm(int o) {
        return o == Eb || o == Ew || o == Ed || o == Ev || o == RvMw || o == M || o == Mp || o == Mq || o == Ma
            || o == Ms;
    }

    /** True if the operand must be a memory operand (mod != 3), else #UD. */
    public static boolean memOnly(int o) {
        return o == M || o == Mp || o == Mq || o == Ma || o == Ms;
    }

    private static final String[] NAMES = {
        "", "Eb", "Ew", "Ed", "Ev", "Gb", "Gw", "Gd", "Gv", "Ib", "Iw", "Iv", "Ibs", "Jb", "Jv", "M", "Mp",
        "Ap", "Ob", "Ov", "Sw", "Cd", "Dd", "Td", "Rd", "Zb", "Zv", "AL", "CL", "DX", "eAX", "1", "ES", "CS",
        "SS", "DS", "FS", "GS", "Xb", "Xv", "Yb", "Yv", "Mq", "Ma", "Ms", "AX", "Ib2", "Rv/Mw"};

    public static int parse(String s) {
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(s)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown operand spec " + s);
    }

    public static String name(int o) {
        return NAMES[o];
    }
}
