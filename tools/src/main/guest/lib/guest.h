/* The few ABI definitions the guest programs here need (abi.md §1-4). The full guest SDK
   is a separate piece of work; these values mirror org.erosim.kernel.abi. */
#ifndef GUEST_H
#define GUEST_H

/* Invocation types (abi.md §1). */
#define INV_RETURN 0
#define INV_CALL 2
#define INV_SEND 4

/* Order and result codes (abi.md §3-4). */
#define RC_OK 0u
#define OC_CONSOLE_WRITE 0u
#define OC_NUMBER_GET 0u

/* The 32-byte invocation descriptor the trap reads at EBP. */
struct invocation {
    unsigned char type;
    unsigned char key;
    unsigned char gate;
    unsigned char reserved0;
    unsigned char sndKeys[4];
    unsigned sndPtr;
    unsigned sndLen;
    unsigned char rcvKeys[4];
    unsigned rcvPtr;
    unsigned rcvLimit;
    unsigned reserved1;
};

/* Words in and out of one invocation: w[0] order/result code, w[1..3] arguments; after
   the trap also the length of the string received and the keyInfo (badge). */
struct message {
    unsigned w[4];
    unsigned received;
    unsigned keyInfo;
};

/* INT 0x31 with EBP = d and EAX..EDX = m->w; stores what the trap returns back into m. */
unsigned invoke(const struct invocation *d, struct message *m);

#endif
