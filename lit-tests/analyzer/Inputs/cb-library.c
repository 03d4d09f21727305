// The library of race-program-callback.c: its loop thread runs the message
// callback under the callback lock.
#include "cb-library.h"

int status;

void set_message_callback(struct client *c, void (*cb)(struct client *)) {
  c->on_message = cb;
}

static void *loop(void *arg) {
  struct client *c = arg;
  pthread_mutex_lock(&c->callback_lock);
  if (c->on_message)
    c->on_message(c);
  pthread_mutex_unlock(&c->callback_lock);
  return 0;
}

void start_loop(struct client *c, pthread_t *thread) {
  pthread_create(thread, 0, loop, c);
}
