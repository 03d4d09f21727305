// The other program's helper file of lock-order-build-targets.c: it takes
// `config` then `stats`.
#include <pthread.h>

extern pthread_mutex_t config, stats;

void snapshot(void) {
  pthread_mutex_lock(&config);
  pthread_mutex_lock(&stats);
  pthread_mutex_unlock(&stats);
  pthread_mutex_unlock(&config);
}
