// A descriptor made non-blocking through a pointer (`fcntl(*sock, ...)`)
// and handed back through out-parameters into an object's fields
// (libmosquitto's net__socketpair(&mosq->sockpairR, &mosq->sockpairW),
// whose descriptors net__socket_nonblock(&sv[i]) made O_NONBLOCK): a write
// to such a field under a lock does not block. Twin BLOCKING: the pair
// stays blocking, and the write is reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/nb "" %s
// RUN: %lockgraph check -p %t/nb 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/blocking "-DBLOCKING" %s
// RUN: not %lockgraph check -p %t/blocking 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

struct loop {
  pthread_mutex_t mutex;
  int wake_read, wake_write;
};

static int set_nonblocking(int *sock) {
#if defined(BLOCKING)
  (void)sock;
  return 0;
#else
  int flags = fcntl(*sock, F_GETFL, 0);
  return flags == -1 || fcntl(*sock, F_SETFL, flags | O_NONBLOCK) == -1;
#endif
}

static int open_wake_pair(int *read_end, int *write_end) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
    return 1;
  if (set_nonblocking(&sv[0]) || set_nonblocking(&sv[1]))
    return 1;
  *read_end = sv[0];
  *write_end = sv[1];
  return 0;
}

void wake(struct loop *l) {
  char byte = 0;
  pthread_mutex_lock(&l->mutex);
  // CHECK: [[@LINE+1]]:7: warning: blocking call to 'write' while holding 'loop::mutex' [lockgraph-blocking-under-lock]
  if (write(l->wake_write, &byte, 1) < 0) {
  }
  pthread_mutex_unlock(&l->mutex);
}

int main(void) {
  struct loop l = {PTHREAD_MUTEX_INITIALIZER, -1, -1};
  if (open_wake_pair(&l.wake_read, &l.wake_write))
    return 1;
  wake(&l);
  return 0;
}
