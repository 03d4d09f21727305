// A lock made for each request and held across its I/O (SQLite's, 57,000 in
// one test) is one blocking-call finding, captured a few times per call
// path and per place the lock was taken, not once per lock instance: tens
// of thousands of reports all fold into one finding anyway, and they filled
// the runtime's report ring, whose "reports were dropped" warning was then
// written into the program's own stderr even under `lockgraph run`. The few
// captures that differ only in the instance are printed once, not as eight
// identical warnings (nor "seen 8 times": it was seen 20,000 times).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: not %lockgraph run -- %t > %t.out 2>&1
// RUN: FileCheck %s --input-file=%t.out --implicit-check-not=dropped
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --check-prefix=PRELOAD --implicit-check-not=WARNING
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static int fd;

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < 5000; i++) {
    pthread_mutex_t *m = malloc(sizeof *m);
    pthread_mutex_init(m, 0);
    pthread_mutex_lock(m);
    char c;
    (void)!read(fd, &c, 1);
    pthread_mutex_unlock(m);
    pthread_mutex_destroy(m);
    free(m);
  }
  return 0;
}

int main(void) {
  fd = open("/dev/zero", O_RDONLY);
  pthread_t t[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], 0, worker, 0);
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], 0);
  return 0;
}

// CHECK: blocking-new-lock-per-request.c:28:12: warning: blocking call 'read' while holding 'mutex@blocking-new-lock-per-request.c:26' (took {{[0-9.]+}} ms) [lockgraph-blocking-under-lock]
// CHECK: 1 finding.

// PRELOAD: WARNING: lockgraph: blocking call 'read' while holding a lock
