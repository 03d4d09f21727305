#include "boxed-mutex.h"
#include <stdlib.h>

int boxed_mutex_create(boxed_mutex **out) {
  boxed_mutex *m = calloc(1, sizeof *m);
  pthread_mutex_init(&m->mutex, NULL);
  *out = m;
  return 0;
}

int boxed_mutex_lock(boxed_mutex *m) { return pthread_mutex_lock(&m->mutex); }
int boxed_mutex_unlock(boxed_mutex *m) { return pthread_mutex_unlock(&m->mutex); }
