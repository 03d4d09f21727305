// A blocking call made while holding more locks than the report keeps with
// their stacks (8) names the first ones and says how many more there are.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s
// CHECK: warning: blocking call 'usleep' while holding 'mutex@blocking-many-held.c:18', {{.*}}'mutex@blocking-many-held.c:18#8' and 2 more (took
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
  pthread_mutex_t *held[10];
  for (int i = 0; i < 10; i++) {
    held[i] = malloc(sizeof *held[i]);
    pthread_mutex_init(held[i], NULL);
  }
  for (int i = 0; i < 10; i++)
    pthread_mutex_lock(held[i]);
  usleep(1000);
  for (int i = 0; i < 10; i++)
    pthread_mutex_unlock(held[i]);
  return 0;
}
