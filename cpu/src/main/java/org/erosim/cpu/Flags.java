package org.erosim.cpu;

/**
 * EFLAGS bits and lazy evaluation of the arithmetic flags (CF, PF, AF, ZF, SF, OF).
 *
 * <p>An arithmetic instruction does not compute flags; it records {@link Cpu#ccOp} (which
 * operation and operand size produced them) with its result and operands. A flag is
 * computed only when something reads it. The formulas used are the full-adder identities,
 * so ADC/SBB share ADD/SUB's code: carry-out = MSB of {@code (d & s) | ((d | s) & ~r)},
 * overflow = MSB of {@code (d ^ r) & (s ^ r)}, AF = bit 4 of {@code d ^ s ^ r}.
 *
 * <p>Operation codes are {@code OP * 4 + size} with size 0 = byte, 1 = word, 2 = dword.
 *
 * <p>Undefined flags (documented in docs/conformance.md): logic ops clear AF; shifts clear
 * AF; MUL/IMUL set SF/ZF/PF from the low half of the result and clear AF; DIV/IDIV leave
 * all flags unchanged; rotates and shifts compute OF from the final one-bit step for any
 * count (SHL: MSB(result) ^ CF; SHR: MSB(result) ^ MSB-1(result); SAR: 0).
 */
public final class Flags {
    private Flags() {
    }

    public static final int CF = 1;
    public static final int PF = 1 << 2;
    public static final int AF = 1 << 4;
    public static final int ZF = 1 << 6;
    public static final int SF = 1 << 7;
    public static final int TF = 1 << 8;
    public static final int IF = 1 << 9;
    public static final int DF = 1 << 10;
    public static final int OF = 1 << 11;
    public static final int IOPL = 3 << 12;
    public static final int NT = 1 << 14;
    public static final int RF = 1 << 16;
    public static final int VM = 1 << 17;
    public static final int AC = 1 << 18;
    public static final int VIF = 1 << 19;
    public static final int VIP = 1 << 20;
    public static final int ID = 1 << 21;
    /** Bit 1 always reads as one. */
    public static final int FIXED1 = 1 << 1;
    public static final int ARITH = CF | PF | AF | ZF | SF | OF;
    /** Bits that exist and are writable on this CPU (i486 + P6 integer: AC and ID). */
    public static final int SUPPORTED = ARITH | TF | IF | DF | IOPL | NT | RF | VM | AC | ID;

    // Lazy operations (multiply by 4, add size).
    public static final int OP_NONE = 0;      // flags are in ccRes as explicit bits
    public static final int OP_ADD = 1;       // also ADC
    public static final int OP_SUB = 2;       // also SBB, CMP, NEG (dst=0)
    public static final int OP_LOGIC = 3;
    public static final int OP_INC = 4;       // ccAux = CF before
    public static final int OP_DEC = 5;       // ccAux = CF before
    public static final int OP_SHL = 6;       // ccSrc = count (1..31), ccDst = operand
    public static final int OP_SHR = 7;
    public static final int OP_SAR = 8;
    public static final int OP_MUL = 9;       // ccAux = CF/OF (1 if the high half is significant)

    public static final int SIZE8 = 0;
    public static final int SIZE16 = 1;
    public static final int SIZE32 = 2;

    /** Explicit-flags op code: flags live in {@link Cpu#ccRes}. */
    public static final int EXPLICIT = OP_NONE * 4;

    private static final byte[] PARITY = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            PARITY[i] = (byte) ((Integer.bitCount(i) & 1) == 0 ? PF : 0);
        }
    }

    static int bits(int op) {
        return 8 << (op & 3);
    }

    static int mask(int op) {
        int s = op & 3;
        return s == 0 ? 0xFF : s == 1 ? 0xFFFF : 0xFFFFFFFF;
    }

    static int msb(int v, int op) {
        return (v >>> (bits(op) - 1)) & 1;
    }

    public static int parity(int v) {
        return PARITY[v & 0xFF];
    }

    /** Carry flag (0 or 1). */
    public static int cf(Cpu c) {
        int op = c.ccOp;
        int d = c.ccDst;
        int s = c.ccSrc;
        int r = c.ccRes;
        switch (op >> 2) {
            case OP_NONE:
                return r & CF;
            case OP_ADD:
                return msb((d & s) | ((d | s) & ~r), op);
            case OP_SUB:
                return msb((~d & s) | ((~d | s) & r), op);
            case OP_LOGIC:
                return 0;
            case OP_INC:
            case OP_DEC:
            case OP_MUL:
                return c.ccAux & 1;
            case OP_SHL:
                return (int) ((((long) (d & mask(op))) << (s - 1)) >>> (bits(op) - 1)) & 1;
            case OP_SHR:
                return s - 1 >= 32 ? 0 : ((d & mask(op)) >>> (s - 1)) & 1;
            case OP_SAR:
                return (signExtend(d, op) >> Math.min(s - 1, 31)) & 1;
            default:
                throw new IllegalStateException("bad ccOp " + op);
        }
    }

    public static boolean zf(Cpu c) {
        if (c.ccOp == EXPLICIT) {
            return (c.ccRes & ZF) != 0;
        }
        return (c.ccRes & mask(c.ccOp)) == 0;
    }

    public static boolean sf(Cpu c) {
        if (c.ccOp == EXPLICIT) {
            return (c.ccRes & SF) != 0;
        }
        return msb(c.ccRes, c.ccOp) != 0;
    }

    public static boolean pf(Cpu c) {
        if (c.ccOp == EXPLICIT) {
            return (c.ccRes & PF) != 0;
        }
        return PARITY[c.ccRes & 0xFF] != 0;
    }

    public static int af(Cpu c) {
        int op = c.ccOp;
        switch (op >> 2) {
            case OP_NONE:
                return c.ccRes & AF;
            case OP_ADD:
            case OP_SUB:
            case OP_INC:
            case OP_DEC:
                return (c.ccDst ^ c.ccSrc ^ c.ccRes) & AF;
            default:
                return 0;
        }
    }

    public static boolean of(Cpu c) {
        int op = c.ccOp;
        int d = c.ccDst;
        int s = c.ccSrc;
        int r = c.ccRes;
        switch (op >> 2) {
            case OP_NONE:
                return (r & OF) != 0;
            case OP_ADD:
            case OP_INC:
                return msb((d ^ r) & (s ^ r), op) != 0;
            case OP_SUB:
            case OP_DEC:
                return msb((d ^ s) & (d ^ r), op) != 0;
            case OP_LOGIC:
                return false;
            case OP_SHL:
                return (msb(r, op) ^ cf(c)) != 0;
            case OP_SHR:
                // OF of the last one-bit step: MSB(result) ^ MSB-1(result); equals MSB(operand)
                // for a count of 1 and 0 otherwise (matches the 80286 reference data)
                return msb(r ^ (r << 1), op) != 0;
            case OP_SAR:
                return false;
            case OP_MUL:
                return (c.ccAux & 1) != 0;
            default:
                throw new IllegalStateException("bad ccOp " + op);
        }
    }

    static int signExtend(int v, int op) {
        int s = op & 3;
        return s == 0 ? (byte) v : s == 1 ? (short) v : v;
    }

    /** All six arithmetic flags as EFLAGS bits. */
    public static int arith(Cpu c) {
        if (c.ccOp == EXPLICIT) {
            return c.ccRes & ARITH;
        }
        int f = cf(c);
        if (pf(c)) {
            f |= PF;
        }
        f |= af(c);
        if (zf(c)) {
            f |= ZF;
        }
        if (sf(c)) {
            f |= SF;
        }
        if (of(c)) {
            f |= OF;
        }
        return f;
    }

    /**
     * True if the recorded state is a plain subtraction {@code dst - src} (SUB, CMP, NEG, or
     * SBB without borrow-in), whose conditions follow from comparing the operands.
     */
    private static boolean plainSub(Cpu c) {
        int op = c.ccOp;
        if ((op >> 2) != OP_SUB) {
            return false;
        }
        int m = mask(op);
        return ((c.ccDst - c.ccSrc - c.ccRes) & m) == 0;
    }

    /** CF = 1 (JB/JC/SETB). */
    public static boolean below(Cpu c) {
        if (plainSub(c)) {
            int m = mask(c.ccOp);
            return Integer.compareUnsigned(c.ccDst & m, c.ccSrc & m) < 0;
        }
        return cf(c) != 0;
    }

    /** CF = 1 or ZF = 1 (JBE). */
    public static boolean belowOrEqual(Cpu c) {
        if (plainSub(c)) {
            int m = mask(c.ccOp);
            return Integer.compareUnsigned(c.ccDst & m, c.ccSrc & m) <= 0;
        }
        return cf(c) != 0 || zf(c);
    }

    /** SF != OF (JL). */
    public static boolean less(Cpu c) {
        int op = c.ccOp;
        if (plainSub(c)) {
            return signExtend(c.ccDst, op) < signExtend(c.ccSrc, op);
        }
        if ((op >> 2) == OP_LOGIC) {
            return signExtend(c.ccRes, op) < 0;
        }
        return sf(c) != of(c);
    }

    /** ZF = 1 or SF != OF (JLE). */
    public static boolean lessOrEqual(Cpu c) {
        int op = c.ccOp;
        if (plainSub(c)) {
            return signExtend(c.ccDst, op) <= signExtend(c.ccSrc, op);
        }
        if ((op >> 2) == OP_LOGIC) {
            return signExtend(c.ccRes, op) <= 0;
        }
        return zf(c) || sf(c) != of(c);
    }

    /** Evaluates condition code {@code cc} (the low nibble of Jcc/SETcc/CMOVcc). */
    public static boolean cond(Cpu c, int cc) {
        int kind = c.ccOp >> 2;
        if (kind == OP_SUB) {
            return condAfterSub(c, cc);
        }
        if (kind == OP_LOGIC) {
            return condAfterLogic(c, cc);
        }
        return condGeneral(c, cc);
    }

    /**
     * Conditions after SUB/CMP/SBB/NEG straight from the operands. Only valid when the
     * result is {@code dst - src} exactly, which SBB with a borrow-in violates; SBB is
     * therefore excluded by checking the recorded result.
     */
    private static boolean condAfterSub(Cpu c, int cc) {
        int op = c.ccOp;
        int m = mask(op);
        int d = c.ccDst & m;
        int s = c.ccSrc & m;
        if (((d - s) & m) != (c.ccRes & m)) {
            return condGeneral(c, cc); // SBB with borrow-in
        }
        boolean t;
        switch (cc >> 1) {
            case 1: t = Integer.compareUnsigned(d, s) < 0; break;
            case 2: t = d == s; break;
            case 3: t = Integer.compareUnsigned(d, s) <= 0; break;
            case 6: t = signExtend(d, op) < signExtend(s, op); break;
            case 7: t = signExtend(d, op) <= signExtend(s, op); break;
            default: return condGeneral(c, cc);
        }
        return t ^ ((cc & 1) != 0);
    }

    /** Conditions after AND/OR/XOR/TEST: CF = OF = 0. */
    private static boolean condAfterLogic(Cpu c, int cc) {
        int op = c.ccOp;
        int r = signExtend(c.ccRes, op);
        boolean t;
        switch (cc >> 1) {
            case 0: t = false; break;
            case 1: t = false; break;
            case 2: t = r == 0; break;
            case 3: t = r == 0; break;
            case 4: t = r < 0; break;
            case 6: t = r < 0; break;
            case 7: t = r <= 0; break;
            default: return condGeneral(c, cc);
        }
        return t ^ ((cc & 1) != 0);
    }

    private static boolean condGeneral(Cpu c, int cc) {
        boolean t;
        switch (cc >> 1) {
            case 0: t = of(c); break;
            case 1: t = cf(c) != 0; break;
            case 2: t = zf(c); break;
            case 3: t = cf(c) != 0 || zf(c); break;
            case 4: t = sf(c); break;
            case 5: t = pf(c); break;
            case 6: t = sf(c) != of(c); break;
            default: t = zf(c) || sf(c) != of(c); break;
        }
        return t ^ ((cc & 1) != 0);
    }
}
