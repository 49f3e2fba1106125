/* Kept for programs written before the SDK existed: the SDK is lib/erosim.h. */
#ifndef GUEST_H
#define GUEST_H
#include "erosim.h"
#endif
