// The clients' shared file of lock-order-program-same-name.c (built into
// several targets: which one links it is not known): its load_config takes
// state_lock (NO_LOCK: nothing).
#include "cfg-locks.h"

void load_config(void) {
#if !defined(NO_LOCK)
  pthread_mutex_lock(&state_lock);
  pthread_mutex_unlock(&state_lock);
#endif
}
