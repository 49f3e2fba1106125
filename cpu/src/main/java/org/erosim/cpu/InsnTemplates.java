package org.erosim.cpu;

import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.IALOAD;
import static org.objectweb.asm.Opcodes.IAND;
import static org.objectweb.asm.Opcodes.IASTORE;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.ISHL;
import static org.objectweb.asm.Opcodes.POP;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Bytecode templates for the commonest instruction classes, emitted by {@link BlockCompiler}
 * in place of a call to {@code exec}: the operands (register numbers, displacement, scale,
 * immediate, segment) become constants and the register file is read through a local, so
 * the JIT folds effective addresses and removes array range checks. A template does exactly
 * what the class's {@code exec} does, through the same static helpers for the flags and
 * the same {@link Cpu} memory accessors for faults; classes without a template are called.
 *
 * <p>Locals of the generated method: 1 = the Cpu, {@link #REGS} = {@code cpu.r}.
 */
final class InsnTemplates {
    private InsnTemplates() {
    }

    static final int REGS = 3;
    /** A scratch int local. */
    static final int TMP = 4;
    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String ALU32 = Type.getInternalName(Alu32Ops.class);
    private static final String ALU = Type.getInternalName(AluOps.class);
    private static final String SHIFT32 = Type.getInternalName(Shift32Ops.class);
    private static final String OP_DESC = "(L" + CPU + ";II)I";

    private static final String FLAGS = Type.getInternalName(Flags.class);
    private static final String BRANCH = Type.getInternalName(BranchOps.class);
    private static final java.util.Map<Class<?>, String> CONDITIONS = java.util.Map.ofEntries(
        java.util.Map.entry(BranchOps.Jo.class, "+of"), java.util.Map.entry(BranchOps.Jno.class, "-of"),
        java.util.Map.entry(BranchOps.Jb.class, "+below"), java.util.Map.entry(BranchOps.Jae.class, "-below"),
        java.util.Map.entry(BranchOps.Je.class, "+zf"), java.util.Map.entry(BranchOps.Jne.class, "-zf"),
        java.util.Map.entry(BranchOps.Jbe.class, "+belowOrEqual"),
        java.util.Map.entry(BranchOps.Ja.class, "-belowOrEqual"),
        java.util.Map.entry(BranchOps.Js.class, "+sf"), java.util.Map.entry(BranchOps.Jns.class, "-sf"),
        java.util.Map.entry(BranchOps.Jp.class, "+pf"), java.util.Map.entry(BranchOps.Jnp.class, "-pf"),
        java.util.Map.entry(BranchOps.Jl.class, "+less"), java.util.Map.entry(BranchOps.Jge.class, "-less"),
        java.util.Map.entry(BranchOps.Jle.class, "+lessOrEqual"),
        java.util.Map.entry(BranchOps.Jg.class, "-lessOrEqual"));

    /** True if {@code i} is a Jcc that {@link #jcc} can emit. */
    static boolean isTemplatedJcc(Insn i) {
        return CONDITIONS.containsKey(i.getClass());
    }

    /**
     * Emits a Jcc as control flow: evaluates the condition and jumps to {@code taken} (after
     * the target check, EIP store and taken-branch cycles of {@link BranchOps.Jcc#exec}),
     * falling through when not taken. EIP is not stored on the not-taken path: the caller
     * has stored the next EIP before, as for any instruction that can end the block.
     */
    static void jcc(MethodVisitor mv, Insn i, org.objectweb.asm.Label taken) {
        String cond = CONDITIONS.get(i.getClass());
        org.objectweb.asm.Label notTaken = new org.objectweb.asm.Label();
        mv.visitVarInsn(ALOAD, 1);
        mv.visitMethodInsn(INVOKESTATIC, FLAGS, cond.substring(1), "(L" + CPU + ";)Z", false);
        mv.visitJumpInsn(cond.charAt(0) == '+' ? org.objectweb.asm.Opcodes.IFEQ : org.objectweb.asm.Opcodes.IFNE,
            notTaken);
        if (!i.targetInLimit) {
            mv.visitVarInsn(ALOAD, 1);
            mv.visitLdcInsn(i.imm);
            mv.visitMethodInsn(INVOKESTATIC, BRANCH, "checkTarget", "(L" + CPU + ";I)V", false);
        }
        mv.visitVarInsn(ALOAD, 1);
        mv.visitLdcInsn(i.imm);
        mv.visitFieldInsn(org.objectweb.asm.Opcodes.PUTFIELD, CPU, "eip", "I");
        if (i.imm2 != 0) {
            mv.visitVarInsn(ALOAD, 1);
            mv.visitInsn(org.objectweb.asm.Opcodes.DUP);
            mv.visitFieldInsn(org.objectweb.asm.Opcodes.GETFIELD, CPU, "cycles", "J");
            mv.visitLdcInsn((long) i.imm2);
            mv.visitInsn(org.objectweb.asm.Opcodes.LADD);
            mv.visitFieldInsn(org.objectweb.asm.Opcodes.PUTFIELD, CPU, "cycles", "J");
        }
        mv.visitJumpInsn(org.objectweb.asm.Opcodes.GOTO, taken);
        mv.visitLabel(notTaken);
    }

    /** Emits a template for {@code i} and returns true, or returns false if it has none. */
    static boolean emit(MethodVisitor mv, Insn i) {
        Class<?> k = i.getClass();
        if (k == MoveOps.RegReg32.class) {
            store(mv, i.rm, () -> reg(mv, i.reg));
        } else if (k == MoveOps.RegImm32.class) {
            store(mv, i.rm, () -> mv.visitLdcInsn(i.imm));
        } else if (k == MoveOps.Load32.class) {
            store(mv, i.reg, () -> read(mv, i, "read32"));
        } else if (k == MoveOps.Store32.class) {
            mv.visitVarInsn(ALOAD, 1);
            mv.visitLdcInsn(i.seg);
            ea(mv, i);
            reg(mv, i.reg);
            mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "write32", "(III)V", false);
        } else if (k == MoveOps.Lea.class && i.sz == 2) {
            store(mv, i.reg, () -> ea(mv, i));
        } else if (k == ByteOps.ZeroExtendLoad8.class) {
            store(mv, i.reg, () -> read(mv, i, "read8"));
        } else if (k == AluOps.IncDecReg32.class) {
            store(mv, i.rm, () -> {
                mv.visitVarInsn(ALOAD, 1);
                reg(mv, i.rm);
                mv.visitLdcInsn(i.imm);
                mv.visitMethodInsn(INVOKESTATIC, ALU, "incDec32", OP_DESC, false);
            });
        } else if (k == Shift32Ops.ShlImm.class || k == Shift32Ops.ShrImm.class || k == Shift32Ops.SarImm.class) {
            String helper = k == Shift32Ops.ShlImm.class ? "shlValue" : k == Shift32Ops.ShrImm.class ? "shrValue"
                : "sarValue";
            store(mv, i.rm, () -> {
                mv.visitVarInsn(ALOAD, 1);
                reg(mv, i.rm);
                mv.visitLdcInsn(i.imm & 0x1F);
                mv.visitMethodInsn(INVOKESTATIC, SHIFT32, helper, OP_DESC, false);
            });
        } else if (k == StackOps.PushReg.class && i.o32) {
            mv.visitVarInsn(ALOAD, 1);
            reg(mv, i.rm);
            mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "push32", "(I)V", false);
        } else if (k == StackOps.PopReg.class && i.o32) {
            // the value is popped (ESP moves) before it is stored: POP ESP keeps the value
            mv.visitVarInsn(ALOAD, 1);
            mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "pop32", "()I", false);
            mv.visitVarInsn(org.objectweb.asm.Opcodes.ISTORE, TMP);
            store(mv, i.rm, () -> mv.visitVarInsn(org.objectweb.asm.Opcodes.ILOAD, TMP));
        } else if (k == AluOps.Test.class && i.sz == 2 && !i.mem) {
            mv.visitVarInsn(ALOAD, 1);
            reg(mv, i.rm);
            if (i.reg < 0) {
                mv.visitLdcInsn(i.imm);
            } else {
                reg(mv, i.reg);
            }
            mv.visitMethodInsn(INVOKESTATIC, ALU32, "test", "(L" + CPU + ";II)V", false);
        } else if (k.getEnclosingClass() == Alu32Ops.class) {
            return alu32(mv, i, k.getSimpleName());
        } else {
            return byteForms(mv, i, k);
        }
        return true;
    }

    private static final String BYTE_OPS = Type.getInternalName(ByteOps.class);

    /** Templates for {@link ByteOps}: byte ALU forms, byte loads/stores, MOVZX r32, r8. */
    private static boolean byteForms(MethodVisitor mv, Insn i, Class<?> k) {
        if (k == ByteOps.ZeroExtendReg8.class) {
            store(mv, i.reg, () -> reg8(mv, i.rm));
        } else if (k == ByteOps.Load8.class) {
            read(mv, i, "read8");
            storeReg8(mv, i.reg);
        } else if (k == ByteOps.Store8.class) {
            mv.visitVarInsn(ALOAD, 1);
            mv.visitLdcInsn(i.seg);
            ea(mv, i);
            reg8(mv, i.reg);
            mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "write8", "(III)V", false);
        } else if (k.getEnclosingClass() == ByteOps.class && k.getSimpleName().matches("[A-Z][a-z]+8(RR|RI|RM)")) {
            String name = k.getSimpleName();
            String op = name.substring(0, name.length() - 3);
            String form = name.substring(name.length() - 2);
            int dst = form.equals("RM") ? i.reg : i.rm;
            mv.visitVarInsn(ALOAD, 1);
            reg8(mv, dst);
            switch (form) {
                case "RR":
                    reg8(mv, i.reg);
                    break;
                case "RI":
                    mv.visitLdcInsn(i.imm & 0xFF);
                    break;
                default:
                    read(mv, i, "read8");
                    break;
            }
            mv.visitMethodInsn(INVOKESTATIC, BYTE_OPS, op.toLowerCase(java.util.Locale.ROOT), OP_DESC, false);
            if (op.equals("Cmp")) {
                mv.visitInsn(POP);
            } else {
                storeReg8(mv, dst);
            }
        } else {
            return false;
        }
        return true;
    }

    /** Pushes byte register {@code n} (AL..BL = 0..3 low bytes, AH..BH = 4..7 high bytes). */
    private static void reg8(MethodVisitor mv, int n) {
        reg(mv, n & 3);
        if (n >= 4) {
            mv.visitLdcInsn(8);
            mv.visitInsn(org.objectweb.asm.Opcodes.IUSHR);
        }
        mv.visitLdcInsn(0xFF);
        mv.visitInsn(IAND);
    }

    /** Pops a value and stores its low byte into byte register {@code n}. */
    private static void storeReg8(MethodVisitor mv, int n) {
        mv.visitVarInsn(org.objectweb.asm.Opcodes.ISTORE, TMP);
        int shift = n >= 4 ? 8 : 0;
        store(mv, n & 3, () -> {
            reg(mv, n & 3);
            mv.visitLdcInsn(~(0xFF << shift));
            mv.visitInsn(IAND);
            mv.visitVarInsn(org.objectweb.asm.Opcodes.ILOAD, TMP);
            mv.visitLdcInsn(0xFF);
            mv.visitInsn(IAND);
            if (shift != 0) {
                mv.visitLdcInsn(shift);
                mv.visitInsn(ISHL);
            }
            mv.visitInsn(org.objectweb.asm.Opcodes.IOR);
        });
    }

    /** The 32-bit ALU classes: NameRR, NameRI, NameRM; the operation is the helper's name. */
    private static boolean alu32(MethodVisitor mv, Insn i, String name) {
        String op = name.substring(0, name.length() - 2);
        String form = name.substring(name.length() - 2);
        String helper = op.toLowerCase(java.util.Locale.ROOT);
        int dst = form.equals("RM") ? i.reg : i.rm;
        Runnable operation = () -> {
            mv.visitVarInsn(ALOAD, 1);
            reg(mv, dst);
            switch (form) {
                case "RR":
                    reg(mv, i.reg);
                    break;
                case "RI":
                    mv.visitLdcInsn(i.imm);
                    break;
                default:
                    read(mv, i, "read32");
                    break;
            }
            mv.visitMethodInsn(INVOKESTATIC, ALU32, helper, OP_DESC, false);
        };
        if (op.equals("Cmp")) {
            operation.run();
            mv.visitInsn(POP);
        } else {
            store(mv, dst, operation);
        }
        return true;
    }

    /** regs[n] = value, the value pushed by {@code value}. */
    private static void store(MethodVisitor mv, int n, Runnable value) {
        mv.visitVarInsn(ALOAD, REGS);
        mv.visitLdcInsn(n);
        value.run();
        mv.visitInsn(IASTORE);
    }

    /** Pushes regs[n]. */
    private static void reg(MethodVisitor mv, int n) {
        mv.visitVarInsn(ALOAD, REGS);
        mv.visitLdcInsn(n);
        mv.visitInsn(IALOAD);
    }

    /** Pushes cpu.readNN(seg, ea). */
    private static void read(MethodVisitor mv, Insn i, String accessor) {
        mv.visitVarInsn(ALOAD, 1);
        mv.visitLdcInsn(i.seg);
        ea(mv, i);
        mv.visitMethodInsn(INVOKEVIRTUAL, CPU, accessor, "(II)I", false);
    }

    /** Pushes the effective address with the instruction's constant parts folded in. */
    static void ea(MethodVisitor mv, Insn i) {
        boolean any = false;
        if (i.base != Reg.ZERO) {
            reg(mv, i.base);
            any = true;
        }
        if (i.index != Reg.ZERO) {
            reg(mv, i.index);
            if (i.scale != 0) {
                mv.visitLdcInsn(i.scale);
                mv.visitInsn(ISHL);
            }
            if (any) {
                mv.visitInsn(IADD);
            }
            any = true;
        }
        if (i.disp != 0 || !any) {
            mv.visitLdcInsn(i.disp);
            if (any) {
                mv.visitInsn(IADD);
            }
        }
        if (i.amask != -1) {
            mv.visitLdcInsn(i.amask);
            mv.visitInsn(IAND);
        }
    }
}
