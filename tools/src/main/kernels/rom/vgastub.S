/*
 * A 512-byte VGA option ROM that does nothing, for Bochs: Bochs 2.7 always has a VGA
 * card and will not start without a VGA BIOS image (vgaromimage), which the Debian
 * bochsbios package does not ship. The ROMs from mkrom.sh never run option ROMs, so
 * this one only has to pass Bochs's checks: the 0x55AA signature, a size of 1 × 512
 * bytes, and bytes summing to zero. Built by build.sh into kernels/vgastub.rom.
 */
        .code16
        .byte 0x55, 0xAA               /* option ROM signature */
        .byte 1                        /* size in 512-byte blocks */
        lret                           /* initialisation entry: nothing to do */
        .fill 512 - 5, 1, 0
        .byte 0x100 - ((0x55 + 0xAA + 1 + 0xCB) & 0xFF)   /* checksum */
