// The client library of race-program-callback.c.
#include <pthread.h>

struct client {
  pthread_mutex_t callback_lock;
  void (*on_message)(struct client *);
};

extern int status;
void set_message_callback(struct client *c, void (*cb)(struct client *));
void start_loop(struct client *c, pthread_t *thread);
