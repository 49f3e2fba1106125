package org.erosim.cpu;

/**
 * A pre-decoded instruction: the operands extracted once by the decoder, and the semantics
 * in {@link #exec}. Subclasses implement one instruction family each (see the {@code *Ops}
 * classes); the interpreter calls {@code exec} through a single virtual call site.
 *
 * <p>Before {@code exec} runs, the interpreter has set {@code cpu.eip = next}; a fault
 * restores {@code eip} from {@link #eip}. A relative branch target is absolute
 * ({@link #imm} holds the target for JCC/JMP/CALL/LOOP), which is valid because a block is
 * reused only at the same CS base and EIP it was decoded for.
 *
 * <p>Effective addresses compute without branches: {@code base} and {@code index} are
 * register numbers, {@link Reg#ZERO} when absent.
 */
public abstract class Insn {
    /** EIP of the first byte. */
    public int eip;
    /** EIP after the instruction (wrapped to 16 bits in 16-bit code). */
    public int next;
    /** Cycles charged when it completes (timing table, by form). */
    public int cycles;
    public int length;
    /** Opcode (0x000-0x1FF), for traces. */
    public int opcode;

    /** Operand size: 0 byte, 1 word, 2 dword. */
    int sz;
    boolean o32;
    boolean a32;
    /** The r/m operand is memory. */
    boolean mem;
    int rm;
    int reg;
    int base = Reg.ZERO;
    int index = Reg.ZERO;
    int scale;
    int disp;
    int amask = -1;
    int seg = Reg.DS;
    int imm;
    int imm2;
    /** Family-specific selector: ALU op, condition code, shift kind, ... */
    int sub;
    /** 0, 0xF2 or 0xF3. */
    int rep;
    /**
     * For relative branches: the target lies within the CS limit the block was decoded for,
     * so no check is needed at run time (blocks only run under that same limit).
     */
    boolean targetInLimit;

    public abstract void exec(Cpu c);

    /**
     * Whether executing this instruction can set the CPU's exit flag (memory writes may hit
     * decoded code; control transfers; mode changes). Compiled blocks skip the flag check
     * after instructions that cannot. Conservative default: true.
     */
    boolean mayEndBlock() {
        return true;
    }

    /**
     * A conditional transfer (Jcc, LOOPcc, JCXZ): it can end the block only by branching,
     * which shows as {@code eip != next}; it never sets the exit flag.
     */
    boolean isConditionalBranch() {
        return false;
    }

    final int ea(Cpu c) {
        int[] r = c.r;
        return (r[base] + (r[index] << scale) + disp) & amask;
    }

    /** Reads the r/m operand. */
    final int readE(Cpu c) {
        return mem ? c.read(sz, seg, ea(c)) : c.reg(sz, rm);
    }

    /** Writes the r/m operand. */
    final void writeE(Cpu c, int v) {
        if (mem) {
            c.write(sz, seg, ea(c), v);
        } else {
            c.setReg(sz, rm, v);
        }
    }

    final int readG(Cpu c) {
        return c.reg(sz, reg);
    }

    final void writeG(Cpu c, int v) {
        c.setReg(sz, reg, v);
    }

    /** Size mask of the operand size. */
    final int szMask() {
        return sz == 2 ? -1 : sz == 1 ? 0xFFFF : 0xFF;
    }
}
