/* erolib.h: small conveniences shared by the example and test programs (not ABI): building
   console lines with hex numbers, and one-key CALLs. Everything is static inline, so a
   program pays only for what it uses. */
#ifndef EROLIB_H
#define EROLIB_H
#include "erosim.h"

/* A console line under construction. */
struct ero_line {
    char buf[160];
    unsigned len;
};

static inline void ero_line_str(struct ero_line *l, const char *s)
{
    while (*s && l->len < sizeof l->buf) {
        l->buf[l->len++] = *s++;
    }
}

/* v as 8 lowercase hex digits. */
static inline void ero_line_hex(struct ero_line *l, uint32_t v)
{
    for (int i = 28; i >= 0 && l->len < sizeof l->buf; i -= 4) {
        l->buf[l->len++] = "0123456789abcdef"[(v >> i) & 15];
    }
}

/* v in decimal. */
static inline void ero_line_dec(struct ero_line *l, uint32_t v)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char) ('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0 && l->len < sizeof l->buf) {
        l->buf[l->len++] = digits[--n];
    }
}

/* Appends a newline and writes the line to the console key in register console. */
static inline void ero_line_put(struct ero_line *l, unsigned console)
{
    if (l->len < sizeof l->buf) {
        l->buf[l->len++] = '\n';
    }
    ero_console_write(console, l->buf, l->len);
    l->len = 0;
}

/* CALL key with words w0..w3, sending keys k0 and k1 and the len bytes at s, receiving key
   0 into register rcv (0: none); returns the result code, *m holds the whole answer. */
static inline uint32_t ero_call_words(unsigned key, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3,
                                      unsigned k0, unsigned k1, unsigned rcv, const void *s, uint32_t len,
                                      struct ero_msg *m)
{
    struct ero_desc d = {0};
    ero_send_keys(&d, k0, k1, 0, 0);
    ero_send_string(&d, s, len);
    ero_rcv_keys(&d, rcv, 0, 0, 0);
    ero_msg_set(m, w0, w1, w2, w3);
    return ero_call(&d, key, m);
}

/* CALL key with order w0 and argument w1, sending key k0 and receiving key 0 into register
   rcv (0: none); returns the result code, *m holds the whole answer. */
static inline uint32_t ero_call1(unsigned key, uint32_t w0, uint32_t w1, unsigned k0, unsigned rcv,
                                 struct ero_msg *m)
{
    return ero_call_words(key, w0, w1, 0, 0, k0, 0, rcv, 0, 0, m);
}

/* Word 0 of the number key in register reg (NUMBER GET). */
static inline uint32_t ero_number(unsigned reg)
{
    struct ero_msg m;
    ero_call1(reg, ERO_OC_NUMBER_GET, 0, 0, 0, &m);
    return m.w[1];
}

/* Burns about n loop iterations of guest time. */
static inline void ero_spin(uint32_t n)
{
    for (volatile uint32_t i = 0; i < n; i++) {
    }
}
#endif
