// A call that cannot wait is no blocking call, lock or not: I/O on a
// non-blocking descriptor (an event loop's wake-up write to its eventfd
// under the loop's lock), MSG_DONTWAIT, zero timeouts, WNOHANG, LOCK_NB, LOCK_UN.
// The same calls made so that they could wait are each reported; errno
// passes through either way.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t nonblocking 2>&1 | FileCheck %s --check-prefix=SILENT
// RUN: env LD_PRELOAD=%preload %t blocking 2>&1 | FileCheck %s --check-prefix=BLOCKING
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

pthread_mutex_t g_loop_mu = PTHREAD_MUTEX_INITIALIZER;

int main(int argc, char **argv) {
  int nonblocking = strcmp(argv[1], "nonblocking") == 0;
  int wakeup = eventfd(0, nonblocking ? EFD_NONBLOCK : 0);
  int pipe_fds[2];
  pipe2(pipe_fds, nonblocking ? O_NONBLOCK : 0);
  int pair[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
  send(pair[1], "xy", 2, 0);
  pid_t child = fork();
  if (child == 0)
    _exit(0);
  char lock_path[] = "/tmp/lockgraph-nonblocking-XXXXXX";
  int lock_fd = mkstemp(lock_path);
  unlink(lock_path);

  pthread_mutex_lock(&g_loop_mu);
  errno = 77;
  unsigned long long one = 1;
  write(wakeup, &one, sizeof one);
  write(pipe_fds[1], "x", 1);
  int write_errno = errno;
  char buf[2];
  recv(pair[0], buf, 1, nonblocking ? MSG_DONTWAIT : 0);
  struct pollfd pfd = {pair[0], POLLIN, 0};
  poll(&pfd, 1, nonblocking ? 0 : 1);
  struct timeval zero = {0, 0}, short_wait = {0, 1000};
  fd_set readable;
  FD_ZERO(&readable);
  FD_SET(pair[0], &readable);
  select(pair[0] + 1, &readable, 0, 0, nonblocking ? &zero : &short_wait);
  sleep(0); // always reported: the end marker of the blocking run
  while (waitpid(child, 0, nonblocking ? WNOHANG : 0) == 0)
    ;
  flock(lock_fd, LOCK_EX | (nonblocking ? LOCK_NB : 0)), flock(lock_fd, LOCK_UN);
  pthread_mutex_unlock(&g_loop_mu);
  printf("errno after the writes: %d\n", write_errno);
  return 0;
}

// SILENT-NOT: WARNING
// SILENT: WARNING: lockgraph: blocking call 'sleep' while holding a lock
// SILENT-NOT: WARNING
// SILENT: errno after the writes: 77

// BLOCKING: blocking call 'write' while holding a lock
// BLOCKING: {{^}}    #0 main {{.*}}blocking-nonblocking.c:[[@LINE-27]]
// BLOCKING: blocking call 'write' while holding a lock
// BLOCKING: {{^}}    #0 main {{.*}}blocking-nonblocking.c:[[@LINE-28]]
// BLOCKING: blocking call 'recv' while holding a lock
// BLOCKING: blocking call 'poll' while holding a lock
// BLOCKING: blocking call 'select' while holding a lock
// BLOCKING: blocking call 'sleep' while holding a lock
// BLOCKING: blocking call 'waitpid' while holding a lock
// BLOCKING: blocking call 'flock' while holding a lock
// BLOCKING-NOT: blocking call 'flock'
// BLOCKING: errno after the writes: 77
