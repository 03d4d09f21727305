// A mutex initialized with a global attribute object that another function
// of the file made PTHREAD_MUTEX_RECURSIVE (civetweb's mg_init_library sets
// the attribute each connection's mutex is then initialized with, and
// mg_websocket_write locks the connection its caller may hold) is
// recursive: locking it again is no double lock. Twin NORMAL: the
// attribute is set to PTHREAD_MUTEX_NORMAL, and the relock is reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/recursive "" %s
// RUN: %lockgraph check -p %t/recursive 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/normal "-DNORMAL" %s
// RUN: not %lockgraph check -p %t/normal 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>

#if defined(NORMAL)
#define CONNECTION_MUTEX_TYPE PTHREAD_MUTEX_NORMAL
#else
#define CONNECTION_MUTEX_TYPE PTHREAD_MUTEX_RECURSIVE
#endif

static pthread_mutexattr_t connection_attr;

struct connection {
  pthread_mutex_t mutex;
  int frames;
};

void init_library(void) {
  pthread_mutexattr_init(&connection_attr);
  pthread_mutexattr_settype(&connection_attr, CONNECTION_MUTEX_TYPE);
}

static void init_connection(struct connection *c) {
  pthread_mutex_init(&c->mutex, &connection_attr);
  c->frames = 0;
}

static void lock_connection(struct connection *c) { pthread_mutex_lock(&c->mutex); }
static void unlock_connection(struct connection *c) { pthread_mutex_unlock(&c->mutex); }

static void write_frame(struct connection *c) {
  lock_connection(c);
  c->frames++;
  unlock_connection(c);
}

int main(void) {
  struct connection c;
  init_library();
  init_connection(&c);
  lock_connection(&c);
  // CHECK: [[@LINE+1]]:3: warning: double lock of 'main::c.mutex': 'write_frame' acquires it while it is already held (self-deadlock) [lockgraph-double-lock]
  write_frame(&c);
  unlock_connection(&c);
  return 0;
}
