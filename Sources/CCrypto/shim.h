#ifndef PODIUM_CCRYPTO_SHIM_H
#define PODIUM_CCRYPTO_SHIM_H
#include <stddef.h>
#include <openssl/evp.h>
#endif
