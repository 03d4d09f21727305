// The locks of lock-order-program-same-name.c.
#include <pthread.h>

extern pthread_mutex_t options_lock, state_lock;
void load_config(void);
