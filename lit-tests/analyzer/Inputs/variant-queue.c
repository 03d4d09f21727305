// Compiled into the client library as it is, and into the server with
// -DWITH_SERVER, whose callers hold the connection's lock already.
#include "variant-queue.h"

// A condition that starts in a builtin macro's expansion.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif

void queue_message(struct conn *c) {
#if !defined(WITH_SERVER)
  pthread_mutex_lock(&c->out_lock);
#endif
  c->queued++;
#if !defined(WITH_SERVER)
  pthread_mutex_unlock(&c->out_lock);
#endif
}
