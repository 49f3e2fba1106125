package org.erosim.cpu;

import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PRIVATE;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.ATHROW;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.H_INVOKESTATIC;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IF_ICMPEQ;
import static org.objectweb.asm.Opcodes.IF_ICMPGT;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.IF_ICMPNE;
import static org.objectweb.asm.Opcodes.IFGE;
import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.LCMP;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.LADD;
import static org.objectweb.asm.Opcodes.PUTFIELD;
import static org.objectweb.asm.Opcodes.PUTSTATIC;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.V17;

import java.lang.invoke.MethodHandles;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Translates hot blocks into hidden classes (see {@link CompiledBlock}).
 *
 * <p>The generated {@code run} method is straight-line code: for instruction k it calls
 * {@code exec} on a static final field of the instruction's exact class (a monomorphic,
 * inlinable call instead of the interpreter's megamorphic one); around instructions that
 * can end the block it stores the constant next-EIP, adds the cycles and checks the exit
 * flag. Each call has its own exception-table entry that records k in
 * {@code Cpu.faultIndex} before rethrowing, so the fast path has no bookkeeping for faults.
 *
 * <p>Semantics are exactly the interpreter's: same objects, same order of effects. A
 * failure to define the class only means the block stays interpreted. Hidden classes are
 * not strongly linked to their loader, so a dropped block's class can be unloaded.
 */
final class BlockCompiler {
    /**
     * Executions of a block before it is compiled; the system property
     * {@code erosim.jit.threshold} overrides it (0 disables compilation, for comparisons).
     */
    static final int THRESHOLD = Integer.getInteger("erosim.jit.threshold", 64);

    /** This CPU's threshold (tests set it to 1 to compile everything, or 0 for never). */
    int threshold = THRESHOLD;
    /** Upper bound on live compiled blocks per CPU (bounds Metaspace use). */
    static final int MAX_COMPILED = 50_000;

    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String INSN = Type.getInternalName(Insn.class);
    private static final String BASE = Type.getInternalName(CompiledBlock.class);
    private static final String FAULT = Type.getInternalName(CpuFault.class);
    private static final String NAME = "org/erosim/cpu/CompiledBlock$Gen";

    private final MethodHandles.Lookup lookup = MethodHandles.lookup();
    private int compiled;
    private int failures;

    int compiledCount() {
        return compiled;
    }

    int failureCount() {
        return failures;
    }

    /** Compiles {@code b} or returns null (over the cap, or the JVM refused the class). */
    CompiledBlock compile(Block b) {
        if (compiled >= MAX_COMPILED) {
            return null;
        }
        try {
            byte[] bytes = generate(b.insns);
            MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(bytes, b.insns.clone(), true);
            CompiledBlock cb = (CompiledBlock) hidden.findConstructor(hidden.lookupClass(),
                java.lang.invoke.MethodType.methodType(void.class)).invoke();
            compiled++;
            return cb;
        } catch (Error e) {
            throw e;
        } catch (Throwable t) {
            failures++; // e.g. IllegalAccessException: stays interpreted, nothing else changes
            return null;
        }
    }

    static byte[] generate(Insn[] insns) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object"; // frames only merge at returns/handlers here
            }
        };
        cw.visit(V17, ACC_FINAL | ACC_SUPER, NAME, null, BASE, null);
        for (int k = 0; k < insns.length; k++) {
            cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, "i" + k, desc(insns[k]), null, null).visitEnd();
        }
        clinit(cw, insns);
        constructor(cw);
        run(cw, insns);
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static String desc(Insn i) {
        return Type.getDescriptor(i.getClass());
    }

    private static void clinit(ClassWriter cw, Insn[] insns) {
        MethodVisitor mv = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        Handle classData = new Handle(H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;", false);
        mv.visitLdcInsn(new ConstantDynamic("_", "[L" + INSN + ";", classData));
        mv.visitVarInsn(ASTORE, 0);
        for (int k = 0; k < insns.length; k++) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitLdcInsn(k);
            mv.visitInsn(AALOAD);
            mv.visitTypeInsn(CHECKCAST, Type.getInternalName(insns[k].getClass()));
            mv.visitFieldInsn(PUTSTATIC, NAME, "i" + k, desc(insns[k]));
        }
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static void constructor(ClassWriter cw) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, BASE, "<init>", "()V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * Emits {@code run}. Instructions that can neither end the block nor observe EIP or the
     * cycle counter ({@code mayEndBlock() == false}) get no EIP store and no flag check, and
     * their cycles are summed into the next flush; a fault handler adds the cycles of the
     * instructions completed before it, so accounting is identical to the interpreter's.
     */
    private static void run(ClassWriter cw, Insn[] insns) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "run", "(L" + CPU + ";)I", null, null);
        mv.visitCode();
        int n = insns.length;
        Label[] start = new Label[n];
        Label[] end = new Label[n];
        Label[] handler = new Label[n];
        long[] pendingAtFault = new long[n];
        for (int k = 0; k < n; k++) {
            start[k] = new Label();
            end[k] = new Label();
            handler[k] = new Label();
            mv.visitTryCatchBlock(start[k], end[k], handler[k], FAULT);
        }
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, DONE); // instructions retired by earlier iterations of a self-loop
        mv.visitVarInsn(ALOAD, 1);
        mv.visitFieldInsn(GETFIELD, CPU, "r", "[I");
        mv.visitVarInsn(ASTORE, InsnTemplates.REGS); // the register file, read once
        Label top = new Label();
        mv.visitLabel(top);
        long pending = 0;
        for (int k = 0; k < n; k++) {
            Insn i = insns[k];
            boolean visible = i.mayEndBlock();
            pendingAtFault[k] = pending;
            if (visible && pending != 0) {
                addCycles(mv, pending);
                pending = 0;
                pendingAtFault[k] = 0;
            }
            mv.visitLabel(start[k]);
            if (visible) {
                mv.visitVarInsn(ALOAD, 1);
                mv.visitLdcInsn(i.next);
                mv.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
            }
            Label taken = null;
            if (InsnTemplates.isTemplatedJcc(i)) {
                taken = new Label();
                InsnTemplates.jcc(mv, i, taken);
            } else if (!InsnTemplates.emit(mv, i)) {
                mv.visitFieldInsn(GETSTATIC, NAME, "i" + k, desc(i));
                mv.visitVarInsn(ALOAD, 1);
                mv.visitMethodInsn(INVOKEVIRTUAL, Type.getInternalName(i.getClass()), "exec", "(L" + CPU + ";)V", false);
            }
            mv.visitLabel(end[k]);
            if (taken != null) {
                emitJccOutcome(mv, insns, k, taken, top);
                continue;
            }
            if (!visible) {
                pending += i.cycles;
                continue;
            }
            addCycles(mv, i.cycles);
            if (k < n - 1) {
                Label cont = new Label();
                mv.visitVarInsn(ALOAD, 1);
                if (i.isConditionalBranch()) {
                    // taken: EIP moved away from the next instruction
                    mv.visitFieldInsn(GETFIELD, CPU, "eip", "I");
                    mv.visitLdcInsn(i.next);
                    mv.visitJumpInsn(IF_ICMPEQ, cont);
                    if (i.imm == insns[0].eip) {
                        emitLoopBack(mv, insns[0].eip, k + 1, n, top);
                    }
                } else {
                    mv.visitFieldInsn(GETFIELD, CPU, "exitBlock", "Z");
                    mv.visitJumpInsn(IFEQ, cont);
                }
                returnDone(mv, k + 1);
                mv.visitLabel(cont);
            }
        }
        if (!insns[n - 1].mayEndBlock()) {
            // the block ends at a page end or the size cap: EIP was not stored on the way
            mv.visitVarInsn(ALOAD, 1);
            mv.visitLdcInsn(insns[n - 1].next);
            mv.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
        }
        if (pending != 0) {
            addCycles(mv, pending);
        }
        if (loopsToItself(insns)) {
            emitLoopBack(mv, insns[0].eip, n, n, top);
        }
        returnDone(mv, n);
        for (int k = 0; k < n; k++) {
            mv.visitLabel(handler[k]);
            if (pendingAtFault[k] != 0) {
                addCycles(mv, pendingAtFault[k]);
            }
            mv.visitVarInsn(ALOAD, 1);
            mv.visitLdcInsn(k);
            mv.visitFieldInsn(PUTFIELD, CPU, "faultIndex", "I");
            mv.visitVarInsn(ALOAD, 1);
            mv.visitVarInsn(ILOAD, DONE);
            mv.visitFieldInsn(PUTFIELD, CPU, "faultLoopDone", "I");
            mv.visitInsn(ATHROW);
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * The two outcomes of a templated Jcc at index {@code k}: not taken falls through to the
     * next instruction; taken (label {@code taken}, reached after the EIP store) retires
     * {@code k + 1} instructions and either loops back to the block's start or returns. The
     * Jcc's own cycles are added on both paths, as the interpreter adds them after exec.
     */
    private static void emitJccOutcome(MethodVisitor mv, Insn[] insns, int k, Label taken, Label top) {
        Insn i = insns[k];
        int n = insns.length;
        Label cont = new Label();
        addCycles(mv, i.cycles);
        mv.visitJumpInsn(GOTO, cont);
        mv.visitLabel(taken);
        addCycles(mv, i.cycles);
        if (i.imm == insns[0].eip) {
            emitLoopBack(mv, insns[0].eip, k + 1, n, top);
        }
        returnDone(mv, k + 1);
        mv.visitLabel(cont);
    }

    /** Local variable holding the instructions retired by earlier loop iterations. */
    private static final int DONE = 2;

    /** True if the block's last instruction is a relative branch back to its first. */
    static boolean loopsToItself(Insn[] insns) {
        Insn last = insns[insns.length - 1];
        boolean relative = last.isConditionalBranch() || last instanceof BranchOps.Jmp;
        return relative && last.imm == insns[0].eip;
    }

    /**
     * After a pass of {@code passLength} instructions ending in a branch to the block's own
     * start, runs the block again inside the same call while the interpreter would have
     * chosen this very block anyway: EIP is at the start, the instruction budget allows
     * another full pass of up to {@code blockLength} ({@code Cpu.chainBudget}) and no device
     * event is due ({@code Cpu.eventCycle}). This removes the per-iteration dispatch of tight
     * loops without changing what executes. Falls through when it does not loop.
     */
    private static void emitLoopBack(MethodVisitor mv, int startEip, int passLength, int blockLength, Label top) {
        Label exit = new Label();
        mv.visitVarInsn(ALOAD, 1);
        mv.visitFieldInsn(GETFIELD, CPU, "eip", "I");
        mv.visitLdcInsn(startEip);
        mv.visitJumpInsn(IF_ICMPNE, exit);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitFieldInsn(GETFIELD, CPU, "cycles", "J");
        mv.visitVarInsn(ALOAD, 1);
        mv.visitFieldInsn(GETFIELD, CPU, "eventCycle", "J");
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFGE, exit);
        mv.visitVarInsn(ILOAD, DONE);
        mv.visitLdcInsn(passLength + blockLength);
        mv.visitInsn(IADD);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitFieldInsn(GETFIELD, CPU, "chainBudget", "I");
        mv.visitJumpInsn(IF_ICMPGT, exit);
        mv.visitIincInsn(DONE, passLength);
        mv.visitJumpInsn(GOTO, top);
        mv.visitLabel(exit);
    }

    private static void returnDone(MethodVisitor mv, int k) {
        mv.visitVarInsn(ILOAD, DONE);
        mv.visitLdcInsn(k);
        mv.visitInsn(IADD);
        mv.visitInsn(IRETURN);
    }

    private static void addCycles(MethodVisitor mv, long n) {
        mv.visitVarInsn(ALOAD, 1);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, CPU, "cycles", "J");
        mv.visitLdcInsn(n);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, CPU, "cycles", "J");
    }
}
