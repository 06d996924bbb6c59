/*
 * ea90b_restart.h - libea90b: §3.1.4 restart tests. Included by ea90b.h; the contract
 * stated there (const inputs, result structs, ea_status, no I/O) holds here.
 */
#ifndef EA90B_RESTART_H
#define EA90B_RESTART_H

#include <stddef.h>
#include <stdint.h>

#include "ea90b.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* EA90B_RESTART_H */
