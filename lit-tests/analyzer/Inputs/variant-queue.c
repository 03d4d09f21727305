// Compiled into the client library as it is, and into the server with
// -DWITH_SERVER, whose callers hold the connection's lock already.
#include "variant-queue.h"

void queue_message(struct conn *c) {
#if !defined(WITH_SERVER)
  pthread_mutex_lock(&c->out_lock);
#endif
  c->queued++;
#if !defined(WITH_SERVER)
  pthread_mutex_unlock(&c->out_lock);
#endif
}
