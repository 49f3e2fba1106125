/*
 * A BIOS-replacement ROM that boots one Multiboot v1 ELF kernel kept inside it, so the
 * same kernel runs on machines that start from the reset vector and have no Multiboot
 * loader (erosim boot --bios, qemu-system-i386 -bios, Bochs romimage). mkrom.sh builds
 * it; see docs/test-kernels.md ("Booting from a ROM").
 *
 * ROM layout (linked by rom.ld for a ROM of ROM_SIZE bytes ending at 4 GiB):
 *   offset 0             the kernel ELF file (stripped), section .kernel
 *   ROM_SIZE - 4 KiB     this code, the GDT and the command line, section .stub
 *   ROM_SIZE - 16        the reset vector, section .reset
 *
 * From reset (real mode, CS base 0xFFFF0000, so the last 64 KiB of the ROM are
 * addressable at CS:0000-FFFF) it enables A20 through port 0x92, loads a flat GDT,
 * sets CR0.PE (and clears CD/NW as a BIOS would) and far-jumps to 32-bit code. That code
 * runs at the ROM's alias below 4 GiB; it loads every PT_LOAD segment of the ELF at its
 * physical address (p_paddr), zeroes the rest of the segment (the BSS), builds a Multiboot
 * information structure in low memory (memory sizes from the CMOS, as a BIOS reports
 * them, and the command line if one was configured) and enters the kernel the way a
 * Multiboot loader does: EAX = 0x2BADB002, EBX = the information, flat CS (0x08) and data
 * segments (0x10), paging off, interrupts disabled, A20 on.
 */

#define MB_BOOT_MAGIC 0x2BADB002
#define MBI           0x9000          /* Multiboot information */
#define MBI_SIZE      0x100           /* zeroed; the v1 structure is 88 bytes */
#define CMDLINE       0x9100          /* the command line, copied from the ROM */
#define STACK_TOP     0x8000          /* the loader's stack (the kernel sets its own) */
#define DEBUGCON      0xE9            /* error messages (QEMU/Bochs debug console) */

        .section .reset, "ax"
        .code16
        .globl reset_vector
reset_vector:                          /* F000:FFF0, physical 0xFFFFFFF0 */
        cli
        jmp real_start
        .fill 16 - (. - reset_vector), 1, 0xF4

        .section .stub, "ax"
        .code16
real_start:
        cld
        inb $0x92, %al                 /* fast A20 on, no reset */
        orb $0x02, %al
        andb $0xFE, %al
        outb %al, $0x92
        lgdtl %cs:gdt_desc             /* still CS base 0xFFFF0000: offset = address & 0xFFFF */
        movl %cr0, %eax
        andl $0x9FFFFFFF, %eax         /* caches on (CD = NW = 0) */
        orl $1, %eax                   /* PE */
        movl %eax, %cr0
        ljmpl $0x08, $pm_start

        .code32
pm_start:
        movw $0x10, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %fs
        movw %ax, %gs
        movw %ax, %ss
        movl $STACK_TOP, %esp

        /* Load the ELF's PT_LOAD segments. EBP = the ELF file, EBX = program header,
           EDX = program headers left. */
        movl $kernel_elf, %ebp
        cmpl $0x464C457F, (%ebp)       /* "\x7fELF" */
        jne no_elf
        cmpw $0x0101, 4(%ebp)          /* ELFCLASS32, little-endian */
        jne no_elf
        movl 28(%ebp), %ebx            /* e_phoff */
        addl %ebp, %ebx
        movzwl 44(%ebp), %edx          /* e_phnum */
1:      testl %edx, %edx
        jz 3f
        cmpl $1, (%ebx)                /* PT_LOAD */
        jne 2f
        movl 4(%ebx), %esi             /* p_offset */
        addl %ebp, %esi
        movl 12(%ebx), %edi            /* p_paddr */
        movl 16(%ebx), %ecx            /* p_filesz */
        rep movsb
        movl 20(%ebx), %ecx            /* p_memsz - p_filesz: the BSS */
        subl 16(%ebx), %ecx
        jbe 2f
        xorl %eax, %eax
        pushl %ecx
        shrl $2, %ecx
        rep stosl
        popl %ecx
        andl $3, %ecx
        rep stosb
2:      movzwl 42(%ebp), %eax          /* e_phentsize */
        addl %eax, %ebx
        decl %edx
        jmp 1b

        /* The Multiboot information: flags bit 0 (mem_lower/mem_upper) always, bit 2
           (cmdline) when the ROM carries a non-empty command line. */
3:      movl $MBI, %edi
        movl $MBI_SIZE / 4, %ecx
        xorl %eax, %eax
        rep stosl
        movl $1, MBI + 0
        movb $0x15, %al                /* base memory in KiB: CMOS 0x15/0x16 */
        call cmos_word
        movl %eax, MBI + 4
        movb $0x34, %al                /* 64 KiB blocks above 16 MiB: CMOS 0x34/0x35 */
        call cmos_word
        testl %eax, %eax
        jz 4f
        shll $6, %eax
        addl $15 * 1024, %eax
        jmp 5f
4:      movb $0x30, %al                /* else KiB above 1 MiB: CMOS 0x30/0x31 */
        call cmos_word
5:      movl %eax, MBI + 8
        movl $cmdline, %esi
        cmpb $0, (%esi)
        je 7f
        orl $4, MBI + 0
        movl $CMDLINE, MBI + 16
        movl $CMDLINE, %edi
6:      lodsb
        stosb
        testb %al, %al
        jnz 6b

7:      movl 24(%ebp), %ecx            /* e_entry */
        movl $MB_BOOT_MAGIC, %eax
        movl $MBI, %ebx
        jmp *%ecx

/* EAX = the little-endian word in CMOS registers AL and AL + 1. */
cmos_word:
        movb %al, %cl
        incb %al
        outb %al, $0x70
        inb $0x71, %al
        movb %al, %ah
        movb %cl, %al
        outb %al, $0x70
        inb $0x71, %al
        movzwl %ax, %eax
        ret

no_elf:
        movl $no_elf_msg, %esi
1:      lodsb
        testb %al, %al
        jz 2f
        outb %al, $DEBUGCON
        jmp 1b
2:      cli
        hlt
        jmp 2b

no_elf_msg:
        .asciz "rom: no 32-bit ELF kernel in this ROM\n"

        .balign 8
gdt:
        .quad 0
        .quad 0x00CF9A000000FFFF       /* 0x08: code, base 0, limit 4 GiB, 32-bit */
        .quad 0x00CF92000000FFFF       /* 0x10: data, base 0, limit 4 GiB */
gdt_end:
gdt_desc:
        .word gdt_end - gdt - 1
        .long gdt

cmdline:
        .incbin "cmdline"              /* mkrom.sh writes it, without a terminator */
        .byte 0

        .section .kernel, "a"
        .globl kernel_elf
kernel_elf:
        .incbin "kernel.elf"
