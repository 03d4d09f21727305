// The runtime never changes errno or return values: a lock leaves errno as
// it was, and a failing blocking call under a lock keeps its own errno even
// though it is reported. The same for the memory calls that retire the locks
// in memory given back (munmap, mremap, a fixed mmap), succeeding or not.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

static const char *outcome(int failed, int err) {
  return failed ? (err == EINVAL ? "EINVAL" : "other error")
                : (err == 77 ? "ok, errno kept" : "ok, errno changed");
}

static void memory_calls(void) {
  const long page = sysconf(_SC_PAGESIZE);
  char *region = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  pthread_mutex_t *mu = (pthread_mutex_t *)region; // zeroed: a mutex
  pthread_mutex_lock(mu);
  pthread_mutex_unlock(mu);
  errno = 77;
  int r = munmap(region + 2 * page, page);
  fprintf(stderr, "munmap: %s\n", outcome(r != 0, errno));
  errno = 77;
  char *moved = mremap(region, 2 * page, page, 0);
  fprintf(stderr, "mremap: %s\n", outcome(moved != region, errno));
  errno = 77;
  char *fixed = mmap(region, page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  fprintf(stderr, "fixed mmap: %s\n", outcome(fixed != region, errno));
  errno = 77;
  r = munmap(region + 1, page);
  fprintf(stderr, "bad munmap: %s\n", outcome(r != 0, errno));
  errno = 77;
  moved = mremap(region + 1, page, page, 0);
  fprintf(stderr, "bad mremap: %s\n", outcome(moved == MAP_FAILED, errno));
  errno = 77;
  fixed = mmap(region + 1, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
               -1, 0);
  fprintf(stderr, "bad fixed mmap: %s\n", outcome(fixed == MAP_FAILED, errno));
  munmap(region, page);
}

int main(void) {
  memory_calls();
  errno = 1234;
  pthread_mutex_lock(&g_mu);
  int e1 = errno;
  char c;
  ssize_t r = read(-1, &c, 1);
  int e2 = errno;
  errno = 4321;
  pthread_mutex_unlock(&g_mu);
  int e3 = errno;
  int busy;
  pthread_mutex_lock(&g_mu);
  pthread_t t;
  busy = pthread_mutex_trylock(&g_mu) ; // relock by owner: EBUSY, no report
  pthread_mutex_unlock(&g_mu);
  (void)t;
  fprintf(stderr, "after lock: %d\nread: %zd %s\nafter unlock: %d\ntrylock: %s\n",
          e1, r, e2 == EBADF ? "EBADF" : "other", e3,
          busy == EBUSY ? "EBUSY" : "other");
  return 0;
}

// CHECK: munmap: ok, errno kept
// CHECK-NEXT: mremap: ok, errno kept
// CHECK-NEXT: fixed mmap: ok, errno kept
// CHECK-NEXT: bad munmap: EINVAL
// CHECK-NEXT: bad mremap: EINVAL
// CHECK-NEXT: bad fixed mmap: EINVAL
// CHECK-NEXT: after lock: 1234
// CHECK-NEXT: read: -1 EBADF
// CHECK-NEXT: after unlock: 4321
// CHECK-NEXT: trylock: EBUSY
// CHECK-NEXT: ==================
// CHECK-NEXT: WARNING: lockgraph: blocking call 'read' while holding a lock
// CHECK-NOT: WARNING
