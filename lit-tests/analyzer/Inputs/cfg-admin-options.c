// The admin tool's load_config (lock-order-program-same-name.c): another
// program's function of the same name, which takes no lock.
#include "cfg-locks.h"

pthread_mutex_t options_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;

void load_config(void) {}
