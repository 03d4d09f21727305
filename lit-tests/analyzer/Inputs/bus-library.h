// The event bus library of lock-order-program-callback.c.
#include <pthread.h>

struct bus {
  pthread_mutex_t lock;
  void (*handler)(void);
};

extern pthread_mutex_t state_lock;
void bus_subscribe(struct bus *b, void (*handler)(void));
void bus_dispatch(struct bus *b);
