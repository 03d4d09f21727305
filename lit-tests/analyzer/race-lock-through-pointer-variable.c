// A mutex object created through an out-parameter (APR's
// apr_thread_mutex_create(&mutex, ...)) and locked through the local
// pointer is the object the thread locks through its box: main's write
// under it is guarded, in one file or with the wrappers in another. Twin
// UNLOCKED: main writes without it, which is a race.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/one "-I%S/Inputs -DWRAPPERS_HERE" %s
// RUN: %lockgraph check -p %t/one 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/two "-I%S/Inputs" %s %S/Inputs/boxed-mutex.c
// RUN: %lockgraph check -p %t/two 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/unlocked "-I%S/Inputs -DUNLOCKED" %s %S/Inputs/boxed-mutex.c
// RUN: not %lockgraph check -p %t/unlocked 2>&1 | FileCheck %s --implicit-check-not=warning:
#include "boxed-mutex.h"
#include <stddef.h>

#if defined(WRAPPERS_HERE)
#include "boxed-mutex.c"
#endif

typedef struct box {
  boxed_mutex *mutex;
} box;

static int exiting;

static void *consumer(void *data) {
  box *b = data;
  boxed_mutex_lock(b->mutex);
  while (!exiting) {
    boxed_mutex_unlock(b->mutex);
    boxed_mutex_lock(b->mutex);
  }
  exiting = 2;
  boxed_mutex_unlock(b->mutex);
  return NULL;
}

int main(void) {
  boxed_mutex *mutex = NULL;
  box b;
  pthread_t t;
  boxed_mutex_create(&mutex);
  b.mutex = mutex;
  pthread_create(&t, NULL, consumer, &b);
#if defined(UNLOCKED)
  // CHECK: [[@LINE+1]]:3: warning: write to 'exiting' without holding 'boxed_mutex::mutex', which guards it at 2 of 3 accesses [lockgraph-race]
  exiting = 1;
#else
  boxed_mutex_lock(mutex);
  exiting = 1;
  boxed_mutex_unlock(mutex);
#endif
  pthread_join(t, NULL);
  return 0;
}
