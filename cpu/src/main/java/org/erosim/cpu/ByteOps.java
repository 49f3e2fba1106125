package org.erosim.cpu;

/**
 * Byte-sized instructions and 32-bit moves specialised per operation and form, so that no
 * instruction dispatches on its operation or operand size at run time: 8-bit ADD..CMP
 * (register/register, register/immediate, register/memory), 8-bit loads and stores, MOV
 * m, imm of 8 and 32 bits, and MOVZX/MOVSX into 32-bit registers. Semantics are those of
 * the generic classes in {@link AluOps} and {@link MoveOps}, which serve the other forms.
 *
 * <p>Operand fields as there: {@code RR} has the destination in {@code rm} and the source
 * in {@code reg}; {@code RI} the destination in {@code rm}; {@code RM} and loads the
 * destination in {@code reg}.
 */
final class ByteOps {
    private ByteOps() {
    }

    private static final int SIZE = 0;

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

    static final class Add8RR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, add(c, c.reg8(rm), c.reg8(reg)));
        }
    }

    static final class Or8RR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, or(c, c.reg8(rm), c.reg8(reg)));
        }
    }

    static final class Adc8RR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, adc(c, c.reg8(rm), c.reg8(reg)));
        }
    }

    static final class Sbb8RR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, sbb(c, c.reg8(rm), c.reg8(reg)));
        }
    }

    static final class And8RR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, and(c, c.reg8(rm), c.reg8(reg)));
        }
    }

    static final class Sub8RR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, sub(c, c.reg8(rm), c.reg8(reg)));
        }
    }

    static final class Xor8RR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, xor(c, c.reg8(rm), c.reg8(reg)));
        }
    }

    static final class Cmp8RR extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            cmp(c, c.reg8(rm), c.reg8(reg));
        }
    }

    static final class Add8RI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, add(c, c.reg8(rm), imm & 0xFF));
        }
    }

    static final class Or8RI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, or(c, c.reg8(rm), imm & 0xFF));
        }
    }

    static final class Adc8RI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, adc(c, c.reg8(rm), imm & 0xFF));
        }
    }

    static final class Sbb8RI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, sbb(c, c.reg8(rm), imm & 0xFF));
        }
    }

    static final class And8RI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, and(c, c.reg8(rm), imm & 0xFF));
        }
    }

    static final class Sub8RI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, sub(c, c.reg8(rm), imm & 0xFF));
        }
    }

    static final class Xor8RI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(rm, xor(c, c.reg8(rm), imm & 0xFF));
        }
    }

    static final class Cmp8RI extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            cmp(c, c.reg8(rm), imm & 0xFF);
        }
    }

    static final class Add8RM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(reg, add(c, c.reg8(reg), c.read8(seg, ea(c))));
        }
    }

    static final class Or8RM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(reg, or(c, c.reg8(reg), c.read8(seg, ea(c))));
        }
    }

    static final class Adc8RM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(reg, adc(c, c.reg8(reg), c.read8(seg, ea(c))));
        }
    }

    static final class Sbb8RM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(reg, sbb(c, c.reg8(reg), c.read8(seg, ea(c))));
        }
    }

    static final class And8RM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(reg, and(c, c.reg8(reg), c.read8(seg, ea(c))));
        }
    }

    static final class Sub8RM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(reg, sub(c, c.reg8(reg), c.read8(seg, ea(c))));
        }
    }

    static final class Xor8RM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(reg, xor(c, c.reg8(reg), c.read8(seg, ea(c))));
        }
    }

    static final class Cmp8RM extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            cmp(c, c.reg8(reg), c.read8(seg, ea(c)));
        }
    }

    /** The byte ALU class for operation {@code op} (AluOps.ADD..CMP) in form RR. */
    static Insn aluRR(int op) {
        switch (op) {
            case AluOps.ADD:
                return new Add8RR();
            case AluOps.OR:
                return new Or8RR();
            case AluOps.ADC:
                return new Adc8RR();
            case AluOps.SBB:
                return new Sbb8RR();
            case AluOps.AND:
                return new And8RR();
            case AluOps.SUB:
                return new Sub8RR();
            case AluOps.XOR:
                return new Xor8RR();
            default:
                return new Cmp8RR();
        }
    }

    /** The byte ALU class for operation {@code op} (AluOps.ADD..CMP) in form RI. */
    static Insn aluRI(int op) {
        switch (op) {
            case AluOps.ADD:
                return new Add8RI();
            case AluOps.OR:
                return new Or8RI();
            case AluOps.ADC:
                return new Adc8RI();
            case AluOps.SBB:
                return new Sbb8RI();
            case AluOps.AND:
                return new And8RI();
            case AluOps.SUB:
                return new Sub8RI();
            case AluOps.XOR:
                return new Xor8RI();
            default:
                return new Cmp8RI();
        }
    }

    /** The byte ALU class for operation {@code op} (AluOps.ADD..CMP) in form RM. */
    static Insn aluRM(int op) {
        switch (op) {
            case AluOps.ADD:
                return new Add8RM();
            case AluOps.OR:
                return new Or8RM();
            case AluOps.ADC:
                return new Adc8RM();
            case AluOps.SBB:
                return new Sbb8RM();
            case AluOps.AND:
                return new And8RM();
            case AluOps.SUB:
                return new Sub8RM();
            case AluOps.XOR:
                return new Xor8RM();
            default:
                return new Cmp8RM();
        }
    }

    /** MOV r8, m8. */
    static final class Load8 extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg8(reg, c.read8(seg, ea(c)));
        }
    }

    /** MOV m8, r8. */
    static final class Store8 extends Insn {
        @Override
        public void exec(Cpu c) {
            c.write8(seg, ea(c), c.reg8(reg));
        }
    }

    /** MOV m8, imm8. */
    static final class StoreImm8 extends Insn {
        @Override
        public void exec(Cpu c) {
            c.write8(seg, ea(c), imm);
        }
    }

    /** MOV m32, imm32. */
    static final class StoreImm32 extends Insn {
        @Override
        public void exec(Cpu c) {
            c.write32(seg, ea(c), imm);
        }
    }

    /** MOVZX r32, m8. */
    static final class ZeroExtendLoad8 extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = c.read8(seg, ea(c));
        }
    }

    /** MOVZX r32, m16. */
    static final class ZeroExtendLoad16 extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = c.read16(seg, ea(c));
        }
    }

    /** MOVSX r32, m8. */
    static final class SignExtendLoad8 extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = (byte) c.read8(seg, ea(c));
        }
    }

    /** MOVSX r32, m16. */
    static final class SignExtendLoad16 extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = (short) c.read16(seg, ea(c));
        }
    }

    /** MOVZX r32, r8. */
    static final class ZeroExtendReg8 extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = c.reg8(rm);
        }
    }

    /** MOVZX r32, r16. */
    static final class ZeroExtendReg16 extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = c.r[rm] & 0xFFFF;
        }
    }

    /** MOVSX r32, r8. */
    static final class SignExtendReg8 extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = (byte) c.reg8(rm);
        }
    }

    /** MOVSX r32, r16. */
    static final class SignExtendReg16 extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = (short) c.r[rm];
        }
    }

    /** MOVZX/MOVSX into a 32-bit register: source size {@code srcSize} (0 byte, 1 word). */
    static Insn extend(boolean signed, int srcSize, boolean mem) {
        if (mem) {
            return srcSize == 0 ? (signed ? new SignExtendLoad8() : new ZeroExtendLoad8())
                : (signed ? new SignExtendLoad16() : new ZeroExtendLoad16());
        }
        return srcSize == 0 ? (signed ? new SignExtendReg8() : new ZeroExtendReg8())
            : (signed ? new SignExtendReg16() : new ZeroExtendReg16());
    }
}
