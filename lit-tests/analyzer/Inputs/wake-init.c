// Stores the pair of blocking-nonblocking-out-param.c in the loop.
#include "wake-pair.h"

void init_loop(struct loop *l) {
  pthread_mutex_init(&l->mutex, 0);
  open_wake_pair(&l->wake_read, &l->wake_write);
}
