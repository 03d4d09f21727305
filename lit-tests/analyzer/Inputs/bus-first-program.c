// The other program of lock-order-program-callback.c: its handler takes the
// state lock under the bus lock.
#include "bus-library.h"

static void save_state(void) {
  pthread_mutex_lock(&state_lock);
  pthread_mutex_unlock(&state_lock);
}

int main(void) {
  struct bus b = {PTHREAD_MUTEX_INITIALIZER, 0};
  bus_subscribe(&b, save_state);
  bus_dispatch(&b);
  return 0;
}
