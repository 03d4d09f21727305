// The other program of race-program-callback.c: its callback sets the
// status, under the library's callback lock.
#include "cb-library.h"

static void record_status(struct client *c) {
  (void)c;
  if (status == 0)
    status = 1;
}

int main(void) {
  struct client c = {PTHREAD_MUTEX_INITIALIZER, 0};
  pthread_t t;
  set_message_callback(&c, record_status);
  start_loop(&c, &t);
  pthread_join(t, 0);
  return 0;
}
