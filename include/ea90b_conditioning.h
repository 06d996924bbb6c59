/*
 * ea90b_conditioning.h - libea90b: §3.1.5 conditioning components. Included by ea90b.h; the contract
 * stated there (const inputs, result structs, ea_status, no I/O) holds here.
 */
#ifndef EA90B_CONDITIONING_H
#define EA90B_CONDITIONING_H

#include <stddef.h>
#include <stdint.h>

#include "ea90b.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* EA90B_CONDITIONING_H */
