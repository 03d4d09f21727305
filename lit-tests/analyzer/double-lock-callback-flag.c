// A flag of the object set before a callback through a function-pointer
// field (libmosquitto: `mosq->in_callback = true; mosq->on_connect(mosq);`)
// is known to what the callback calls: the path that takes the lock again
// only runs when the flag is false, so there is no double lock. Twin
// NO_FLAG: the flag is not set around the callback, and the callback's
// call takes the held lock again.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/flag "" %s
// RUN: %lockgraph check -p %t/flag 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/noflag "-DNO_FLAG" %s
// RUN: not %lockgraph check -p %t/noflag 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct session {
  pthread_mutex_t callback_mutex;
  bool in_callback;
  void (*on_ready)(struct session *);
};

static void flush_queue(struct session *s) {
  pthread_mutex_lock(&s->callback_mutex);
  pthread_mutex_unlock(&s->callback_mutex);
}

void queue_packet(struct session *s) {
  if (!s->in_callback)
    flush_queue(s);
}

void deliver_ready(struct session *s) {
  pthread_mutex_lock(&s->callback_mutex);
  if (s->on_ready) {
#if !defined(NO_FLAG)
    s->in_callback = true;
#endif
    // CHECK: [[@LINE+1]]:5: warning: double lock of 'session::callback_mutex': 'session::on_ready' acquires it while it is already held (self-deadlock) [lockgraph-double-lock]
    s->on_ready(s);
    s->in_callback = false;
  }
  pthread_mutex_unlock(&s->callback_mutex);
}

static void reply_when_ready(struct session *s) { queue_packet(s); }

int main(void) {
  struct session s = {PTHREAD_MUTEX_INITIALIZER, false, NULL};
  s.on_ready = reply_when_ready;
  deliver_ready(&s);
  queue_packet(&s);
  return 0;
}
