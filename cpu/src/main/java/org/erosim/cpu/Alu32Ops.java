package org.erosim.cpu;

/**
 * The 32-bit register forms of ADD, OR, ADC, SBB, AND, SUB, XOR and CMP, one class per
 * operation and form, so that no instruction dispatches on its operation at run time (in
 * a compiled block each becomes a few inlined machine instructions). Semantics are those of
 * {@link AluOps#alu}; the generic classes there serve the other sizes and memory forms.
 *
 * <p>Forms: {@code RR} reg, reg ({@code rm} = destination, {@code reg} = source);
 * {@code RI} reg, imm ({@code rm} = destination); {@code RM} reg, [mem] ({@code reg} =
 * destination).
 */
final class Alu32Ops {
    private Alu32Ops() {
    }

    private static final int SIZE = 2;

    /** TEST d, s (32-bit): flags of d AND s. */
    static void test(Cpu c, int d, int s) {
        int r = d & s;
        c.cc(Flags.OP_LOGIC * 4 + SIZE, r, r, s);
    }

    // One method per operation, so that the block compiler's templates can call it by name;
    // each is AluOps.alu with a constant operation and size, which the JIT folds after inlining.
    static int add(Cpu c, int d, int s) {
        return AluOps.alu(c, AluOps.ADD, SIZE, d, s);
    }

    static int or(Cpu c, int d, int s) {
        return AluOps.alu(c, AluOps.OR, SIZE, d, s);
    }

    static int adc(Cpu c, int d, int s) {
        return AluOps.alu(c, AluOps.ADC, SIZE, d, s);
    }

    static int sbb(Cpu c, int d, int s) {
        return AluOps.alu(c, AluOps.SBB, SIZE, d, s);
    }

    static int and(Cpu c, int d, int s) {
        return AluOps.alu(c, AluOps.AND, SIZE, d, s);
    }

    static int sub(Cpu c, int d, int s) {
        return AluOps.alu(c, AluOps.SUB, SIZE, d, s);
    }

    static int xor(Cpu c, int d, int s) {
        return AluOps.alu(c, AluOps.XOR, SIZE, d, s);
    }

    static int cmp(Cpu c, int d, int s) {
        return AluOps.alu(c, AluOps.CMP, SIZE, d, s);
    }

    static final class AddRR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = add(c, c.r[rm], c.r[reg]);
        }
    }

    static final class OrRR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = or(c, c.r[rm], c.r[reg]);
        }
    }

    static final class AdcRR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = adc(c, c.r[rm], c.r[reg]);
        }
    }

    static final class SbbRR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = sbb(c, c.r[rm], c.r[reg]);
        }
    }

    static final class AndRR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = and(c, c.r[rm], c.r[reg]);
        }
    }

    static final class SubRR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = sub(c, c.r[rm], c.r[reg]);
        }
    }

    static final class XorRR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = xor(c, c.r[rm], c.r[reg]);
        }
    }

    static final class CmpRR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            cmp(c, c.r[rm], c.r[reg]);
        }
    }

    static final class AddRI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = add(c, c.r[rm], imm);
        }
    }

    static final class OrRI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = or(c, c.r[rm], imm);
        }
    }

    static final class AdcRI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = adc(c, c.r[rm], imm);
        }
    }

    static final class SbbRI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = sbb(c, c.r[rm], imm);
        }
    }

    static final class AndRI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = and(c, c.r[rm], imm);
        }
    }

    static final class SubRI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = sub(c, c.r[rm], imm);
        }
    }

    static final class XorRI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = xor(c, c.r[rm], imm);
        }
    }

    static final class CmpRI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            cmp(c, c.r[rm], imm);
        }
    }

    static final class AddRM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = add(c, c.r[reg], c.read32(seg, ea(c)));
        }
    }

    static final class OrRM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = or(c, c.r[reg], c.read32(seg, ea(c)));
        }
    }

    static final class AdcRM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = adc(c, c.r[reg], c.read32(seg, ea(c)));
        }
    }

    static final class SbbRM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = sbb(c, c.r[reg], c.read32(seg, ea(c)));
        }
    }

    static final class AndRM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = and(c, c.r[reg], c.read32(seg, ea(c)));
        }
    }

    static final class SubRM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = sub(c, c.r[reg], c.read32(seg, ea(c)));
        }
    }

    static final class XorRM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = xor(c, c.r[reg], c.read32(seg, ea(c)));
        }
    }

    static final class CmpRM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            cmp(c, c.r[reg], c.read32(seg, ea(c)));
        }
    }

    /** The class implementing ALU operation {@code op} (AluOps.ADD..CMP) in form {@code form}. */
    static Insn create(int op, String form) {
        switch (form) {
            case "RR":
                return rr(op);
            case "RI":
                return ri(op);
            default:
                return rm(op);
        }
    }

    private static Insn rr(int op) {
        switch (op) {
            case AluOps.ADD:
                return new AddRR();
            case AluOps.OR:
                return new OrRR();
            case AluOps.ADC:
                return new AdcRR();
            case AluOps.SBB:
                return new SbbRR();
            case AluOps.AND:
                return new AndRR();
            case AluOps.SUB:
                return new SubRR();
            case AluOps.XOR:
                return new XorRR();
            default:
                return new CmpRR();
        }
    }

    private static Insn ri(int op) {
        switch (op) {
            case AluOps.ADD:
                return new AddRI();
            case AluOps.OR:
                return new OrRI();
            case AluOps.ADC:
                return new AdcRI();
            case AluOps.SBB:
                return new SbbRI();
            case AluOps.AND:
                return new AndRI();
            case AluOps.SUB:
                return new SubRI();
            case AluOps.XOR:
                return new XorRI();
            default:
                return new CmpRI();
        }
    }

    private static Insn rm(int op) {
        switch (op) {
            case AluOps.ADD:
                return new AddRM();
            case AluOps.OR:
                return new OrRM();
            case AluOps.ADC:
                return new AdcRM();
            case AluOps.SBB:
                return new SbbRM();
            case AluOps.AND:
                return new AndRM();
            case AluOps.SUB:
                return new SubRM();
            case AluOps.XOR:
                return new XorRM();
            default:
                return new CmpRM();
        }
    }
}
