# org: 0x00100000
# Proves that the disassembler agrees with GNU objdump on the IA-32 integer instruction
# set in 32-bit code: every ModRM and SIB addressing form (and 16-bit addressing through
# 67h), every segment override, 66h operand-size forms, LOCK/REP/REPE/REPNE, relative
# branches, far pointers, moffs, system instructions and the i486/P6 additions. Never
# executed: DisassemblerObjdumpTest disassembles the flat binary and compares each line
# with the committed objdump listing (see objdump-listings.sh next to this file).
        .intel_syntax noprefix
        .code32
        .text
start:

# ---- every ModRM r/m form with mod 0, 1, 2, 3 (register operand eax..edi in reg)
        .irp reg, eax, ecx, edx, ebx, esp, ebp, esi, edi
        .irp base, eax, ecx, edx, ebx, esi, edi
        mov \reg, DWORD PTR [\base]
        mov \reg, DWORD PTR [\base+0x12]
        mov \reg, DWORD PTR [\base-0x80]
        mov \reg, DWORD PTR [\base+0x12345678]
        mov \reg, DWORD PTR [\base-0x1000]
        .endr
        mov \reg, DWORD PTR [esp]
        mov \reg, DWORD PTR [esp+0x7f]
        mov \reg, DWORD PTR [esp+0x1000]
        mov \reg, DWORD PTR [ebp]
        mov \reg, DWORD PTR [ebp-0x4]
        mov \reg, DWORD PTR [ebp+0x10000]
        mov \reg, DWORD PTR ds:0x12345678
        mov \reg, \reg
        .endr

# ---- every SIB form: all bases (with mod 0/1/2), all indexes, all scales
        .irp base, eax, ecx, edx, ebx, esp, ebp, esi, edi
        .irp index, eax, ecx, edx, ebx, ebp, esi, edi
        .irp scale, 1, 2, 4, 8
        lea eax, [\base+\index*\scale]
        lea ebx, [\base+\index*\scale+0x7f]
        lea ecx, [\base+\index*\scale-0x12345678]
        .endr
        .endr
        .endr
# SIB without base (mod 0, base 101: disp32 only), and with neither base nor index
        .irp index, eax, ecx, edx, ebx, ebp, esi, edi
        .irp scale, 1, 2, 4, 8
        lea edx, [\index*\scale+0x1000]
        lea esi, [\index*\scale-0x10]
        .endr
        .endr
        .byte 0x8b, 0x04, 0x20              # [eax] through a SIB with no index (eiz)
        .byte 0x8b, 0x44, 0x61, 0x08        # [ecx+0x8], index field 100 with scale 2
        .byte 0x8b, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12  # disp32 through a SIB
        .byte 0x8b, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00  # [esp+0x100] with disp32
        {disp32} mov eax, DWORD PTR [ebx+0x10]
        {disp8} mov eax, DWORD PTR [ebx]

# ---- 16-bit addressing in 32-bit code (67h)
        .irp mem, [bx+si], [bx+di], [bp+si], [bp+di], [si], [di], [bx]
        mov eax, DWORD PTR \mem
        mov ax, WORD PTR \mem+0x10
        mov al, BYTE PTR \mem-0x10
        mov eax, DWORD PTR \mem+0x1234
        mov eax, DWORD PTR \mem-0x8000
        .endr
        mov eax, DWORD PTR [bp]
        mov eax, DWORD PTR [bp+0x7fff]

# ---- segment overrides
        .irp seg, es, cs, ss, ds, fs, gs
        mov eax, DWORD PTR \seg:[ebx]
        mov eax, DWORD PTR \seg:[ebp+0x8]
        mov BYTE PTR \seg:[esi+edi*2+0x10], al
        mov ax, WORD PTR \seg:[bx+si+0x10]
        mov ecx, DWORD PTR \seg:0x1000
        .endr
        .byte 0x26, 0x8d, 0x03              # lea eax,es:[ebx]: an ineffective override

# ---- ALU: all eight operations in every form
        .irp op, add, or, adc, sbb, and, sub, xor, cmp
        \op bl, cl
        {load} \op bl, cl
        \op BYTE PTR [ebx], cl
        \op cl, BYTE PTR [ebx+0x4]
        \op ebx, ecx
        {load} \op ebx, ecx
        \op DWORD PTR [ebx+0x10], ecx
        \op ecx, DWORD PTR [ebx-0x10]
        \op bx, cx
        \op WORD PTR [ebx], cx
        \op cx, WORD PTR [ebx]
        \op al, 0x12
        \op al, 0xff
        \op eax, 0x12345678
        \op ax, 0x1234
        \op bl, 0x12
        \op BYTE PTR [ebx], 0x80
        \op ebx, 0x12345678
        \op DWORD PTR [ebx], 0x12345678
        \op WORD PTR [ebx], 0x1234
        \op ebx, -3
        \op ebx, 0x7f
        \op bx, -1
        \op WORD PTR [ebx], -1
        \op DWORD PTR [esi+edi*4+0x100], -128
        .endr
        .byte 0x82, 0xc3, 0x12              # 82 /0: the 80 alias
        .byte 0x82, 0x3b, 0x80              # 82 /7

# ---- lock prefix on every lockable form
        lock add DWORD PTR [eax], ebx
        lock or BYTE PTR [eax], 0x1
        lock adc WORD PTR [eax], 0x1234
        lock sbb DWORD PTR [eax], -1
        lock and DWORD PTR [eax], ecx
        lock sub DWORD PTR [eax], ecx
        lock xor DWORD PTR [eax], ecx
        lock inc DWORD PTR [eax]
        lock dec BYTE PTR [eax]
        lock not WORD PTR [eax]
        lock neg DWORD PTR [eax]
        lock xchg DWORD PTR [eax], ecx
        lock xadd DWORD PTR [eax], ecx
        lock xadd BYTE PTR [eax], cl
        lock cmpxchg DWORD PTR [eax], ecx
        lock cmpxchg BYTE PTR [eax], cl
        lock cmpxchg8b QWORD PTR [esi]
        lock bts DWORD PTR [eax], ecx
        lock btr DWORD PTR [eax], 0x5
        lock btc WORD PTR [eax], cx

# ---- unary, multiply, divide, test
        .irp op, inc, dec, not, neg, mul, imul, div, idiv
        \op bl
        \op bx
        \op ebx
        \op BYTE PTR [eax]
        \op WORD PTR [eax]
        \op DWORD PTR [eax+ecx*8]
        .endr
        .irp r, eax, ecx, edx, ebx, esp, ebp, esi, edi
        inc \r
        dec \r
        .endr
        inc ax
        dec di
        test bl, cl
        test ebx, ecx
        test bx, cx
        test BYTE PTR [eax], cl
        test DWORD PTR [eax], ecx
        test al, 0x80
        test eax, 0x12345678
        test ax, 0x1234
        test bl, 0x12
        test ebx, 0x12345678
        test WORD PTR [ebx], 0x1234
        test BYTE PTR [ebx], 0x12
        .byte 0xf6, 0xc8, 0x01              # F6 /1: the TEST alias
        imul ecx, ebx
        imul ecx, DWORD PTR [ebx]
        imul cx, bx
        imul ecx, ebx, 0x12345678
        imul ecx, ebx, -2
        imul cx, WORD PTR [ebx], 0x1234
        imul cx, bx, 0x7f

# ---- shifts and rotates, double shifts
        .irp op, rol, ror, rcl, rcr, shl, shr, sar
        \op al, 1
        \op al, cl
        \op al, 0x3
        \op BYTE PTR [ebx], 1
        \op WORD PTR [ebx], cl
        \op DWORD PTR [ebx], 0x1f
        \op ax, 1
        \op eax, cl
        \op ebx, 0x4
        .endr
        shld eax, ebx, 0x4
        shld DWORD PTR [ecx], ebx, cl
        shld ax, bx, 0x4
        shrd eax, ebx, cl
        shrd WORD PTR [ecx], bx, 0x1
        shrd DWORD PTR [ecx], ebx, 0x1f

# ---- moves
        .irp r, al, cl, dl, bl, ah, ch, dh, bh
        mov \r, 0x12
        .endr
        .irp r, eax, ecx, edx, ebx, esp, ebp, esi, edi
        mov \r, 0x12345678
        .endr
        mov ax, 0x1234
        mov di, 0xffff
        mov bl, cl
        {load} mov bl, cl
        mov BYTE PTR [eax], cl
        mov cl, BYTE PTR [eax]
        mov WORD PTR [eax], cx
        mov cx, WORD PTR [eax]
        mov DWORD PTR [eax], ecx
        mov ecx, DWORD PTR [eax]
        {load} mov ecx, ebx
        mov BYTE PTR [eax], 0x12
        mov WORD PTR [eax], 0x1234
        mov DWORD PTR [eax], 0x12345678
        mov DWORD PTR [eax+ebx*2+0x10], -1
        mov al, BYTE PTR ds:0x12345678
        mov eax, DWORD PTR ds:0x12345678
        mov ax, WORD PTR ds:0x12345678
        mov BYTE PTR ds:0x12345678, al
        mov DWORD PTR ds:0x12345678, eax
        mov WORD PTR ds:0x1234, ax
        mov eax, DWORD PTR fs:0x10
        mov BYTE PTR es:0x20, al
        .byte 0x67, 0xa1, 0x34, 0x12        # moffs with a 16-bit address
        .irp seg, es, cs, ss, ds, fs, gs
        mov eax, \seg
        mov ax, \seg
        mov WORD PTR [ebx], \seg
        .endr
        .irp seg, es, ss, ds, fs, gs
        mov \seg, eax
        mov \seg, ax
        mov \seg, WORD PTR [ebx]
        .endr
        movzx eax, bl
        movzx eax, BYTE PTR [ebx]
        movzx eax, bx
        movzx eax, WORD PTR [ebx]
        movzx ax, bl
        movzx ax, BYTE PTR [ebx]
        movsx eax, bl
        movsx eax, BYTE PTR [ebx]
        movsx eax, bx
        movsx eax, WORD PTR [ebx]
        movsx ax, bl
        lea eax, [ebx+ecx*4+0x10]
        lea ax, [ebx]
        lea eax, [bx+si]
        .irp r, ecx, edx, ebx, esp, ebp, esi, edi
        xchg eax, \r
        .endr
        .irp r, cx, dx, bx, sp, bp, si, di
        xchg ax, \r
        .endr
        xchg bl, cl
        xchg ebx, ecx
        xchg BYTE PTR [eax], cl
        xchg DWORD PTR [eax], ecx
        xchg WORD PTR [eax], cx
        nop
        cbw
        cwde
        cwd
        cdq
        lahf
        sahf
        xlat BYTE PTR [ebx]
        xlat BYTE PTR es:[ebx]
        xlat BYTE PTR [bx]

# ---- stack
        .irp r, eax, ecx, edx, ebx, esp, ebp, esi, edi
        push \r
        pop \r
        .endr
        push ax
        pop di
        push 0x12345678
        push -3
        push 0x7f
        pushw 0x1234
        pushw -3
        push DWORD PTR [eax]
        push WORD PTR [eax]
        pop DWORD PTR [eax+0x4]
        pop WORD PTR [eax]
        push es
        push cs
        push ss
        push ds
        push fs
        push gs
        pop es
        pop ss
        pop ds
        pop fs
        pop gs
        pushw es
        popw fs
        pushad
        popad
        pushaw
        popaw
        pushfd
        popfd
        pushfw
        popfw
        enter 0x10, 0x0
        enter 0x1234, 0x3
        enterw 0x8, 0x1
        leave
        leavew

# ---- control transfer
back:
        .irp cc, o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g
        j\cc back
        j\cc fwd
        .endr
        .irp cc, o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g
        {disp32} j\cc back
        {disp32} j\cc fwd
        .endr
fwd:
        jmp back
        jmp fwd2
        jmp fwd2 + 0x1000
        jmp eax
        jmp DWORD PTR [eax]
        jmp WORD PTR [eax]
        jmp FWORD PTR [eax]
        jmp DWORD PTR [bx]
        jmp 0x10:0x12345678
        call fwd2
        call eax
        call bx
        call DWORD PTR [eax+ecx*4]
        call WORD PTR [eax]
        call FWORD PTR [eax]
        call 0x1234:0x10
        .byte 0x66, 0xff, 0x18              # call DWORD PTR (16:16 far pointer)
        .byte 0x66, 0xff, 0x28              # jmp DWORD PTR (16:16 far pointer)
loops:
        loop loops
        loope loops
        loopne fwd2
        jecxz loops
        jcxz fwd2
fwd2:
        ret
        ret 0x8
        retw
        retw 0x4
        retf
        retf 0x10
        lretw
        int3
        int 0x80
        into
        .byte 0xf1                          # int1 (ICEBP)
        iretd
        iretw
        bound eax, QWORD PTR [ebx]
        bound ax, DWORD PTR [ebx]

# ---- string instructions with rep prefixes, overrides and 16-bit addresses
        movsb
        movsw
        movsd
        cmpsb
        cmpsw
        cmpsd
        stosb
        stosw
        stosd
        lodsb
        lodsw
        lodsd
        scasb
        scasw
        scasd
        insb
        insw
        insd
        outsb
        outsw
        outsd
        rep movsb
        rep movsd
        rep stosw
        rep stosd
        rep lodsb
        rep insb
        rep outsd
        repe cmpsb
        repne cmpsd
        repe scasw
        repne scasb
        movs BYTE PTR es:[edi], BYTE PTR fs:[esi]
        movs DWORD PTR es:[edi], DWORD PTR cs:[esi]
        cmps BYTE PTR gs:[esi], BYTE PTR es:[edi]
        lods eax, DWORD PTR ss:[esi]
        outs dx, WORD PTR es:[esi]
        movs BYTE PTR es:[di], BYTE PTR ds:[si]
        movs DWORD PTR es:[di], DWORD PTR ss:[si]
        stos WORD PTR es:[di], ax
        scas al, BYTE PTR es:[di]
        rep movs DWORD PTR es:[di], DWORD PTR ds:[si]
        repne scas eax, DWORD PTR es:[di]
        rep stos BYTE PTR es:[edi], al

# ---- flags, BCD, I/O
        clc
        stc
        cmc
        cli
        sti
        cld
        std
        daa
        das
        aaa
        aas
        aam
        aad
        aam 0x10
        aad 0x7
        in al, 0x80
        in ax, 0x80
        in eax, 0x80
        out 0x80, al
        out 0x80, ax
        out 0x80, eax
        in al, dx
        in ax, dx
        in eax, dx
        out dx, al
        out dx, ax
        out dx, eax
        hlt
        wait

# ---- system instructions
        lgdt [eax]
        lidt [ebx+0x10]
        sgdt [ecx]
        sidt [edx]
        lgdtw [eax]
        lidtw [eax]
        lldt ax
        lldt WORD PTR [eax]
        sldt eax
        sldt ax
        sldt WORD PTR [eax]
        ltr bx
        ltr WORD PTR [eax]
        str ecx
        str WORD PTR [eax]
        verr ax
        verr WORD PTR [eax]
        verw dx
        verw WORD PTR [eax]
        lmsw ax
        lmsw WORD PTR [eax]
        smsw eax
        smsw ax
        smsw WORD PTR [eax]
        invlpg [eax]
        invlpg [ebx+ecx*4+0x1000]
        clts
        invd
        wbinvd
        lar eax, ebx
        lar eax, WORD PTR [ebx]
        lar ax, bx
        lsl eax, ebx
        lsl ecx, WORD PTR [ebx]
        arpl ax, bx
        arpl WORD PTR [eax], cx
        .irp n, 0, 2, 3, 4
        mov eax, cr\n
        mov cr\n, ebx
        .endr
        .irp n, 0, 1, 2, 3, 6, 7
        mov edi, dr\n
        mov dr\n, esi
        .endr
        les eax, FWORD PTR [ebx]
        lds eax, FWORD PTR [ebx]
        lss esp, FWORD PTR [ebx]
        lfs eax, FWORD PTR [ebx]
        lgs eax, FWORD PTR [ebx]
        les ax, DWORD PTR [ebx]
        lss sp, DWORD PTR [bx]
        cpuid
        rdtsc
        rdmsr
        wrmsr
        rdpmc
        ud2

# ---- i386 bit operations, i486 and P6 additions
        .irp op, bt, bts, btr, btc
        \op eax, ebx
        \op DWORD PTR [eax], ebx
        \op WORD PTR [eax], bx
        \op eax, 0x1f
        \op DWORD PTR [eax], 0x3
        \op WORD PTR [eax], 0xf
        .endr
        bsf eax, ebx
        bsf eax, DWORD PTR [ebx]
        bsr ax, bx
        bsr eax, DWORD PTR [ebx]
        .irp cc, o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g
        set\cc al
        set\cc BYTE PTR [ebx]
        cmov\cc eax, ebx
        cmov\cc ax, WORD PTR [ebx]
        .endr
        .irp r, eax, ecx, edx, ebx, esp, ebp, esi, edi
        bswap \r
        .endr
        xadd eax, ebx
        xadd bl, cl
        xadd WORD PTR [eax], bx
        cmpxchg eax, ebx
        cmpxchg bl, cl
        cmpxchg WORD PTR [eax], bx
        cmpxchg8b QWORD PTR [ebx]
        nop DWORD PTR [eax]
        nop DWORD PTR [eax+eax*1+0x0]
        nop WORD PTR [eax+eax*1+0x0]
        nop eax
        .byte 0x0f, 0x19, 0x04, 0x24        # hint NOP 0F 19
        ud1 eax, ebx
        ud0 eax, DWORD PTR [ebx]

# ---- undefined opcodes both disassemblers decode to the same length
        .byte 0x0f, 0x04                    # (bad)
        .byte 0x0f, 0xff, 0xc0              # ud0 eax,eax
        .byte 0x0f, 0x0b                    # ud2

# ---- deliberate differences, listed with their reasons in DisassemblerObjdumpTest
        .byte 0x66, 0xeb, 0x10              # short jmp with a 16-bit operand size
        .byte 0x66, 0xe9, 0x10, 0x00        # near jmp with a 16-bit operand size
        .byte 0x66, 0x0f, 0x85, 0xf0, 0xff  # near jne with a 16-bit operand size
        .byte 0x67, 0x8b, 0x06, 0xf0, 0xff  # [disp16] in 32-bit code
        .byte 0xd6                          # salc
        .byte 0xc0, 0xf0, 0x01              # C0 /6
        .byte 0x66, 0x90                    # 66 nop
        .byte 0xf3, 0x90                    # F3 nop
        .byte 0x0f, 0x18, 0x00              # 0F 18 hint nop
        .byte 0xd9, 0x00                    # an x87 escape
        .byte 0x0f, 0x01, 0xc8              # 0F 01 /1 register form
        .byte 0x8e, 0xf0                    # mov to segment register 6
end:
