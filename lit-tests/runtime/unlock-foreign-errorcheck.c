// Another thread's unlock of an error-checking mutex it does not own is
// refused (EPERM) and unlocks nothing: it is reported, but the owner still
// holds the mutex, and the owner's own unlock afterwards is not reported.
// (A default mutex's foreign unlock does unlock it, and the owner forgets
// it: unlock-other-thread.c.)
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t 2>&1 | grep -c "unlock of an unheld lock" | FileCheck %s --check-prefix=COUNT
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_mutex_t g_checked;
static sem_t g_tried;

static void *other(void *arg) {
  fprintf(stderr, "foreign unlock: %d\n", pthread_mutex_unlock(&g_checked));
  sem_post(&g_tried);
  return arg;
}

int main(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&g_checked, &attr);
  sem_init(&g_tried, 0, 0);
  pthread_mutex_lock(&g_checked);
  pthread_t t;
  pthread_create(&t, 0, other, 0);
  sem_wait(&g_tried);
  fprintf(stderr, "owner unlock: %d\n", pthread_mutex_unlock(&g_checked));
  pthread_join(t, 0);
  return 0;
}

// Reports are printed by the watchdog or at exit: in any order with the
// program's lines.
// CHECK-DAG: foreign unlock: 1
// CHECK-DAG: owner unlock: 0
// CHECK-DAG: Thread T1 unlocks 'g_checked' {{.*}}, which it does not hold, at:
// COUNT: {{^1$}}
