/* run-strings: one program, two roles, chosen by the number key in key register 3
   (w1 = 0: server, 1: client). Key registers: 1 = console, 2 = systrace, 4 = start key to
   the server (client only).
   The server waits (RETURN on void) with a 16-byte receive buffer; each message it gets
   it writes to the console as "server got N bytes: <bytes>" and replies OK.
   The client CALLs the server with "hello, server" (13 bytes, fits) and then with a
   40-byte string (truncated to the server's 16-byte limit), then ends the run with
   STOP_RUN 0. Proves string transfer between processes and truncation to the receive
   limit, with the received length in ESI. The second CALL's descriptor straddles a page
   boundary (12 bytes in one page, 20 in the next), which the kernel cannot read in place
   and copies out of both pages. */
#include "erosim.h"

static char buf[16];
static char line[64];
static unsigned char two_pages[8192] __attribute__((aligned(4096)));

static unsigned append(unsigned at, const char *s, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        line[at++] = s[i];
    }
    return at;
}

static void server(void)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_RC_OK, 0, 0, 0}, 0, 0};
    ero_rcv_keys(&d, 0, 0, 0, 5);
    ero_rcv_string(&d, buf, sizeof buf);
    ero_return(&d, 0, &m);
    for (;;) {
        unsigned n = append(0, "server got ", 11);
        line[n++] = (char) ('0' + m.rcv_len / 10);
        line[n++] = (char) ('0' + m.rcv_len % 10);
        n = append(n, " bytes: ", 8);
        n = append(n, buf, m.rcv_len);
        line[n++] = '\n';
        ero_console_write(1, line, n);
        ero_msg_set(&m, ERO_RC_OK, 0, 0, 0);
        ero_return(&d, 5, &m);
    }
}

static void client(void)
{
    static const char short_msg[] = "hello, server";
    static const char long_msg[] = "this string is longer than sixteen bytes";
    struct ero_desc d = {0};
    struct ero_msg m;
    ero_send_string(&d, short_msg, sizeof short_msg - 1);
    ero_msg_set(&m, 1, 0, 0, 0);
    ero_call(&d, 4, &m);
    struct ero_desc *straddling = (struct ero_desc *) (two_pages + 4096 - 12); /* zero, like d */
    ero_send_string(straddling, long_msg, sizeof long_msg - 1);
    ero_msg_set(&m, 1, 0, 0, 0);
    ero_call(straddling, 4, &m);
    struct ero_desc s = {0};
    ero_msg_set(&m, ERO_OC_SYSTRACE_STOP_RUN, 0, 0, 0);
    ero_call(&s, 2, &m);
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};
    struct ero_msg m;
    ero_msg_set(&m, ERO_OC_NUMBER_GET, 0, 0, 0);
    ero_call(&d, 3, &m);
    if (m.w[1] == 0) {
        server();
    } else {
        client();
    }
    for (;;) {
        ero_return(&d, 0, &m);
    }
}
