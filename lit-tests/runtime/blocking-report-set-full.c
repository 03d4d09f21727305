// A lock made per request and held across its read, 70,000 times, leaves
// room for the next finding: the runtime remembered every (call path, held
// locks) it had reported in one set, which took a key per lock instance
// until it was full; after that every new finding counted as reported
// before (the sleep below was never reported), and every report scanned
// the whole set (400,000 such reads took 16.7 s, against 0.1 s native).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --implicit-check-not=WARNING
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
  int fd = open("/dev/zero", O_RDONLY);
  for (int i = 0; i < 70000; i++) {
    pthread_mutex_t *m = malloc(sizeof *m);
    pthread_mutex_init(m, 0);
    pthread_mutex_lock(m);
    char c;
    (void)!read(fd, &c, 1);
    pthread_mutex_unlock(m);
    pthread_mutex_destroy(m);
    free(m);
  }
  static pthread_mutex_t last = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&last);
  usleep(1);
  pthread_mutex_unlock(&last);
  return 0;
}

// CHECK: WARNING: lockgraph: blocking call 'read' while holding a lock
// CHECK: WARNING: lockgraph: blocking call 'usleep' while holding a lock
// CHECK-NEXT: Thread T0 called usleep {{.*}} while holding 'main.last'
