# org: 0x7c00
# Proves that the disassembler agrees with GNU objdump on 16-bit code (real mode and
# 16-bit protected mode): all 16-bit ModRM forms, segment overrides, 32-bit operands and
# addresses through 66h/67h, the operand-size suffixes of stack and branch instructions,
# string instructions, far pointers and the system instructions. Never executed:
# DisassemblerObjdumpTest compares it with the committed objdump listing.
        .intel_syntax noprefix
        .code16
        .text
start:

# ---- every 16-bit ModRM r/m form with mod 0, 1, 2, 3
        .irp reg, ax, cx, dx, bx, sp, bp, si, di
        .irp mem, [bx+si], [bx+di], [bp+si], [bp+di], [si], [di], [bx]
        mov \reg, WORD PTR \mem
        mov \reg, WORD PTR \mem+0x12
        mov \reg, WORD PTR \mem-0x80
        mov \reg, WORD PTR \mem+0x1234
        mov \reg, WORD PTR \mem-0x8000
        .endr
        mov \reg, WORD PTR [bp]
        mov \reg, WORD PTR [bp+0x7f]
        mov \reg, WORD PTR [bp+0x7fff]
        mov \reg, WORD PTR ds:0x1234
        mov \reg, \reg
        .endr
        .irp r, al, cl, dl, bl, ah, ch, dh, bh
        mov \r, BYTE PTR [bx+si+0x1]
        mov BYTE PTR [bp+di], \r
        .endr

# ---- segment overrides
        .irp seg, es, cs, ss, ds, fs, gs
        mov ax, WORD PTR \seg:[bx]
        mov ax, WORD PTR \seg:[bp+0x8]
        mov BYTE PTR \seg:[si+0x10], al
        mov ecx, DWORD PTR \seg:0x1000
        mov al, BYTE PTR \seg:0x20
        .endr

# ---- 32-bit operands and 32-bit addressing (66h, 67h)
        mov eax, ebx
        mov eax, DWORD PTR [bx]
        mov ax, WORD PTR [eax]
        mov eax, DWORD PTR [ebx+ecx*4+0x10]
        mov al, BYTE PTR [esp]
        mov al, BYTE PTR [ebp-0x4]
        mov eax, DWORD PTR es:[edi+0x12345678]
        .byte 0x67, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00   # [disp32] with 67h
        .byte 0x67, 0xa1, 0x78, 0x56, 0x34, 0x12         # moffs32 with 67h
        mov eax, 0x12345678
        add eax, 0x12345678
        add eax, -1
        add ax, -1
        add ebx, -3
        imul eax, ebx, -2
        imul ax, bx, 0x7f
        movzx eax, al
        movzx eax, WORD PTR [si]
        movsx ax, BYTE PTR [si]
        lea eax, [bx+si]
        lea ax, [eax+ebx*2]
        xchg eax, ebx
        bswap eax
        .irp op, add, or, adc, sbb, and, sub, xor, cmp
        \op al, 0x12
        \op ax, 0x1234
        \op WORD PTR [bx], 0x1234
        \op BYTE PTR [bx], 0x12
        \op WORD PTR [bx], -2
        \op DWORD PTR [bx], 0x12345678
        \op bx, cx
        \op cl, BYTE PTR [di]
        .endr
        shl ax, 1
        sar WORD PTR [bx], cl
        rol eax, 0x4
        shld ax, bx, 0x3
        shrd eax, ebx, cl

# ---- operand-size suffixes: stack, branches, far pointers
        push 0x1234
        push -3
        pushd 0x12345678
        pushd -3
        push WORD PTR [bx]
        push DWORD PTR [bx]
        pop WORD PTR [bx]
        push ax
        push eax
        pop ax
        pop eax
        push es
        push cs
        push ss
        push ds
        push fs
        push gs
        pushd es
        pushd gs
        pop ds
        popd es
        popd fs
        pusha
        pushad
        popa
        popad
        pushf
        pushfd
        popf
        popfd
        enter 0x10, 0x0
        enterd 0x10, 0x1
        leave
        leaved
back:
        .irp cc, o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g
        j\cc back
        {disp16} j\cc fwd
        .endr
fwd:
        jmp back
        jmp fwd2
        jmp ax
        jmp WORD PTR [bx]
        jmp DWORD PTR [bx]
        jmp eax
        jmp 0x1234:0x5678
        call fwd2
        call ax
        call WORD PTR [bx+si]
        call DWORD PTR [bx+si]
        call eax
        call 0xf000:0xfff0
        .byte 0x66, 0x9a, 0x78, 0x56, 0x34, 0x12, 0x10, 0x00  # call 0x10:0x12345678
        .byte 0x66, 0xea, 0x78, 0x56, 0x34, 0x12, 0x10, 0x00  # jmp 0x10:0x12345678
        .byte 0x66, 0xff, 0x1f              # call FWORD PTR [bx]
loops:
        loop loops
        loope loops
        loopne loops
        jcxz loops
        jecxz loops
fwd2:
        ret
        ret 0x2
        retd
        retf
        retf 0x4
        lretd
        iret
        iretd
        int 0x10
        int3
        into

# ---- string instructions
        movsb
        movsw
        movsd
        cmpsb
        cmpsw
        stosw
        stosd
        lodsb
        scasw
        insb
        outsw
        rep movsw
        rep movsd
        rep stosb
        repe cmpsb
        repne scasb
        movs WORD PTR es:[di], WORD PTR cs:[si]
        lods al, BYTE PTR es:[si]
        movs BYTE PTR es:[edi], BYTE PTR ds:[esi]
        rep movs DWORD PTR es:[edi], DWORD PTR ds:[esi]
        xlat BYTE PTR [bx]
        xlat BYTE PTR cs:[bx]
        in al, dx
        in eax, dx
        out dx, ax
        in al, 0x60
        out 0x64, al
        cbw
        cwde
        cwd
        cdq
        lock inc WORD PTR [bx]
        lock xchg WORD PTR [bx], ax

# ---- system instructions
        lgdt [bx]
        lidt [bp+0x10]
        sgdt [si]
        sidt [di]
        lgdtd [bx]
        lmsw ax
        smsw ax
        smsw eax
        smsw WORD PTR [bx]
        sldt ax
        sldt eax
        str ax
        ltr WORD PTR [bx]
        lldt ax
        verr WORD PTR [bx]
        verw ax
        lar ax, bx
        lar eax, WORD PTR [bx]
        lsl ax, WORD PTR [bx]
        arpl WORD PTR [bx], ax
        bound ax, DWORD PTR [bx]
        bound eax, QWORD PTR [bx]
        les ax, DWORD PTR [bx]
        lds si, DWORD PTR [bx]
        lss sp, DWORD PTR [bx]
        lfs eax, FWORD PTR [bx]
        lgs ax, DWORD PTR [bx]
        mov ax, es
        mov eax, ss
        mov WORD PTR [bx], ds
        mov ds, ax
        mov ss, eax
        mov es, WORD PTR [bx]
        mov eax, cr0
        mov cr0, eax
        mov eax, dr6
        clts
        hlt
        cli
        sti
        invlpg [bx]
        cpuid
        cmpxchg8b QWORD PTR [si]
        cmovne ax, bx
        cmovg eax, DWORD PTR [bx]
        sete BYTE PTR [bx]
        bt ax, 0x3
        bts WORD PTR [bx], ax
        bsf eax, ebx
end:
