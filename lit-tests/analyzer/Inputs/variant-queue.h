#include <pthread.h>

struct conn {
  pthread_mutex_t out_lock;
  int queued;
};

void queue_message(struct conn *c);
