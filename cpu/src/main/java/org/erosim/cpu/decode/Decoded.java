package org.erosim.cpu.decode;

import org.erosim.cpu.Reg;

/**
 * The result of decoding one instruction: a plain mutable record reused by its owner.
 * Consumed by the executor factory (which builds an executable instruction from it) and by
 * the disassembler.
 */
public final class Decoded {
    /** Decoding stopped because the source ended (disassembler only). */
    public static final int ERR_TRUNCATED = 1;
    /** More than 15 bytes: #GP(0) when executed. */
    public static final int ERR_TOO_LONG = 2;

    public int length;
    /** 0x000-0x0FF one-byte opcode; 0x100-0x1FF after 0F. */
    public int opcode;
    public OpDef def;
    public int error;

    /** The code segment's default size (CS.D): what o32/a32 are without 66h/67h. */
    public boolean code32;
    public boolean o32;
    public boolean a32;
    /** Segment override prefix (ES..GS), or -1. */
    public int segOverride;
    public boolean lock;
    /** 0, 0xF2 (REPNE) or 0xF3 (REP/REPE): the last of the two seen. */
    public int rep;
    public int prefixCount;

    public boolean hasModrm;
    public int mod;
    public int reg;
    public int rm;

    /** The r/m operand (or moffs) is memory. */
    public boolean mem;
    public int base;
    public int index;
    public int scale;
    public int disp;
    /** Size in bytes of the displacement as encoded (0, 1, 2 or 4), for printing. */
    public int dispSize;
    /** Effective segment: override if any, else the addressing form's default. */
    public int seg;

    public int imm;
    public int imm2;

    void reset() {
        length = 0;
        opcode = 0;
        def = null;
        error = 0;
        code32 = false;
        o32 = false;
        a32 = false;
        segOverride = -1;
        lock = false;
        rep = 0;
        prefixCount = 0;
        hasModrm = false;
        mod = 0;
        reg = 0;
        rm = 0;
        mem = false;
        base = Reg.ZERO;
        index = Reg.ZERO;
        scale = 0;
        disp = 0;
        dispSize = 0;
        seg = Reg.DS;
        imm = 0;
        imm2 = 0;
    }

    /** Operand size in the executor's encoding: 0 byte, 1 word, 2 dword. */
    public int operandSize() {
        if (def.has(OpDef.BYTE)) {
            return 0;
        }
        return o32 ? 2 : 1;
    }
}
