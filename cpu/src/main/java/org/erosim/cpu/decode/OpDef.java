package org.erosim.cpu.decode;

/**
 * One entry of the opcode map: mnemonic(s), operands, the executor family that implements
 * it and its flags. Groups (opcodes whose ModRM reg field selects the operation) hold eight
 * sub-entries, optionally a different eight for register forms (mod == 3).
 */
public final class OpDef {
    /** Has a ModRM byte. */
    public static final int MODRM = 1;
    /** Ends a decoded block: transfers control, or changes state the decoder depends on. */
    public static final int BLOCK_END = 2;
    /** LOCK is allowed (with a memory destination). */
    public static final int LOCKABLE = 4;
    /** Default operand size is 32 bits regardless of CS.D is not used; pushes use stack size. */
    public static final int STRING = 8;
    /** REP/REPE/REPNE meaningful. */
    public static final int REP_OK = 16;
    /** Undefined opcode: #UD when executed. */
    public static final int INVALID = 32;
    /** Operand size is always 8 bits (byte forms), regardless of 66h. */
    public static final int BYTE = 64;
    /** Privileged or mode-sensitive: the block ends after it so state changes are seen. */
    public static final int SERIALIZE = 128;
    /**
     * Conditional transfer (Jcc, LOOPcc, JCXZ): a block continues after it; when taken, EIP
     * no longer equals the instruction's next EIP and the rest of the block is skipped.
     */
    public static final int COND_BRANCH = 256;
    /** F3/F2 mean REPE/REPNE (CMPS, SCAS: the loop also ends on ZF), not plain REP. */
    public static final int REPE_REPNE = 2048;
    /**
     * The operand size changes what the instruction does (stack slot width, LGDT's 24- or
     * 32-bit base) but no operand shows it: the disassembler adds a w/d suffix when the
     * size differs from the code segment's default, as GNU objdump does.
     */
    public static final int SIZE_SUFFIX = 512;
    /** {@link #mnemonic16}/{@link #mnemonic32} are chosen by address size (JCXZ/JECXZ test CX or ECX). */
    public static final int ADDRESS_SIZED = 1024;

    public final String mnemonic16;
    public final String mnemonic32;
    public final int[] operands;
    public final int kind;
    public final int sub;
    public final int flags;
    /** Group sub-entries by ModRM reg (memory forms, or all forms if {@link #groupReg} is null). */
    public final OpDef[] group;
    /** Group sub-entries for register forms (mod == 3), or null. */
    public final OpDef[] groupReg;

    OpDef(String mnemonic16, String mnemonic32, int[] operands, int kind, int sub, int flags) {
        this.mnemonic16 = mnemonic16;
        this.mnemonic32 = mnemonic32;
        this.operands = operands;
        this.kind = kind;
        this.sub = sub;
        this.flags = flags;
        this.group = null;
        this.groupReg = null;
    }

    OpDef(OpDef[] group, OpDef[] groupReg) {
        this.mnemonic16 = "(group)";
        this.mnemonic32 = "(group)";
        this.operands = new int[0];
        this.kind = Kind.UD;
        this.sub = 0;
        this.flags = MODRM;
        this.group = group;
        this.groupReg = groupReg;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public boolean isGroup() {
        return group != null;
    }

    /** The mnemonic for a 32-bit (or, for {@link #ADDRESS_SIZED} entries, 32-bit address) size. */
    public String mnemonic(boolean size32) {
        return size32 ? mnemonic32 : mnemonic16;
    }

    @Override
    public String toString() {
        return mnemonic16 + " kind=" + Kind.name(kind) + " sub=" + sub;
    }
}
