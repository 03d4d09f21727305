// A function that handles EAGAIN / EWOULDBLOCK does its I/O on descriptors it
// made non-blocking: its write cannot wait, even under a lock (libuv's
// uv__async_send writes to its EFD_NONBLOCK eventfd under the threadpool's
// lock). Likewise a connect whose EINPROGRESS is expected (nng's dialers,
// under the dialer's lock). The same calls without that handling may
// block, and are reported; a sleep in the function that handles EAGAIN
// still is.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/nonblocking "" %s
// RUN: not %lockgraph check -p %t/nonblocking 2>&1 | FileCheck %s --check-prefix=SLEEP --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/blocking "-DBLOCKING" %s
// RUN: not %lockgraph check -p %t/blocking 2>&1 | FileCheck %s --check-prefixes=SLEEP,WRITE,CONNECT --implicit-check-not=warning:
#include <errno.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

static pthread_mutex_t wq_mutex = PTHREAD_MUTEX_INITIALIZER;

static void wake_loop(int fd) {
  static const char one = 1;
  ssize_t r;
  do
    r = write(fd, &one, 1);
  while (r == -1 && errno == EINTR);
#ifndef BLOCKING
  if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return; // already signalled
#endif
}

static void back_off(void) {
  if (errno == EAGAIN)
    usleep(100);
}

void post_work(int fd) {
  pthread_mutex_lock(&wq_mutex);
  wake_loop(fd);
  // WRITE: blocking-nonblocking-io.c:[[@LINE-1]]:3: warning: call to 'wake_loop' may block in 'write' while holding 'wq_mutex' [lockgraph-blocking-under-lock]
  back_off();
  // SLEEP: blocking-nonblocking-io.c:[[@LINE-1]]:3: warning: call to 'back_off' may block in 'usleep' while holding 'wq_mutex' [lockgraph-blocking-under-lock]
  pthread_mutex_unlock(&wq_mutex);
}

static int dial(int fd, const struct sockaddr *sa, socklen_t len) {
  if (connect(fd, sa, len) != 0) {
#ifndef BLOCKING
    if (errno != EINPROGRESS)
#endif
      return -1;
  }
  return 0;
}

void start_dial(int fd, const struct sockaddr *sa, socklen_t len) {
  pthread_mutex_lock(&wq_mutex);
  dial(fd, sa, len);
  // CONNECT: blocking-nonblocking-io.c:[[@LINE-1]]:3: warning: call to 'dial' may block in 'connect' while holding 'wq_mutex' [lockgraph-blocking-under-lock]
  pthread_mutex_unlock(&wq_mutex);
}
