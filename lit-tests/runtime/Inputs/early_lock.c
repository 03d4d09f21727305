// A library whose constructor locks before the preload runtime's own
// constructor may have run (see static-init-order.c).
#include <pthread.h>

pthread_mutex_t early_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t early_b = PTHREAD_MUTEX_INITIALIZER;

__attribute__((constructor)) static void early_init(void) {
  pthread_mutex_lock(&early_a);
  pthread_mutex_lock(&early_b);
  pthread_mutex_unlock(&early_b);
  pthread_mutex_unlock(&early_a);
}
