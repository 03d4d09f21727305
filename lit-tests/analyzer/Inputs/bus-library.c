// The library of lock-order-program-callback.c: it runs the handler under
// the bus lock.
#include "bus-library.h"

pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;

void bus_subscribe(struct bus *b, void (*handler)(void)) { b->handler = handler; }

void bus_dispatch(struct bus *b) {
  pthread_mutex_lock(&b->lock);
  if (b->handler)
    b->handler();
  pthread_mutex_unlock(&b->lock);
}
