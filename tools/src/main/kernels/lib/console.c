/*
 * COM1 output and a small printf: %s %c %d %u %x with an optional 0 flag and width
 * (%08x). %x prints 0x-less lowercase hex. No 64-bit arithmetic (there is no libgcc).
 */
#include "rt.h"

#define COM1 0x3F8

void serial_init(void) {
    outb(COM1 + 1, 0x00);   /* no UART interrupts */
    outb(COM1 + 3, 0x80);   /* DLAB: divisor follows */
    outb(COM1 + 0, 0x01);   /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);   /* 8 data bits, no parity, one stop bit */
    outb(COM1 + 2, 0xC7);   /* FIFOs on and cleared */
    outb(COM1 + 4, 0x03);   /* DTR, RTS; OUT2 off keeps IRQ 4 quiet */
}

void putchar(int c) {
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, (u8)c);
}

/* Waits until the UART has sent everything (LSR.TEMT): a run that ends right after the
   last character (Bochs at its shutdown port) would otherwise lose what is still in the
   transmit FIFO. */
void serial_flush(void) {
    while (!(inb(COM1 + 5) & 0x40))
        ;
}

void puts(const char *s) {
    while (*s)
        putchar(*s++);
}

static void put_number(u32 v, u32 base, int width, char pad, int negative) {
    char buf[12];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (negative)
        buf[n++] = '-';
    while (width-- > n)
        putchar(pad);
    while (n)
        putchar(buf[--n]);
}

void vprintf(const char *fmt, va_list ap) {
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putchar(*fmt);
            continue;
        }
        char pad = ' ';
        int width = 0;
        if (*++fmt == '0')
            pad = '0';
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        switch (*fmt) {
        case 's': puts(va_arg(ap, const char *)); break;
        case 'c': putchar(va_arg(ap, int)); break;
        case 'u': put_number(va_arg(ap, u32), 10, width, pad, 0); break;
        case 'x': put_number(va_arg(ap, u32), 16, width, pad, 0); break;
        case 'd': {
            s32 v = va_arg(ap, s32);
            put_number(v < 0 ? -(u32)v : (u32)v, 10, width, pad, v < 0);
            break;
        }
        default: putchar(*fmt); break;
        }
    }
}

void printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}
