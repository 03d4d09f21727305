// A wait under `if (queue == NULL)` in an endless loop, whose body tests
// the queue again after the wait (`if (queue != NULL)`) before taking it,
// handles spurious and lost wake-ups (memcached's extstore_io_thread).
// ONCE: the body takes the queue after the wait without testing it again;
// EXIT: it tests it again but leaves the loop when it is still empty, as
// on a spurious wake-up: both reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/recheck "" %s
// RUN: %lockgraph check -p %t/recheck 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/once "-DONCE" %s
// RUN: not %lockgraph check -p %t/once 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/exit "-DEXIT" %s
// RUN: not %lockgraph check -p %t/exit 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <stddef.h>

struct job {
  struct job *next;
};
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct job *queue;
void run(struct job *j);

void *io_thread(void *arg) {
  while (1) {
    struct job *batch = NULL;
    pthread_mutex_lock(&mu);
    if (queue == NULL) {
      // CHECK: [[@LINE+1]]:7: warning: 'pthread_cond_wait' on 'cv' is not in a loop that re-checks its condition (spurious and lost wake-ups) [lockgraph-cond-wait-no-loop]
      pthread_cond_wait(&cv, &mu);
    }
#if defined(ONCE)
    batch = queue;
    queue = NULL;
#elif defined(EXIT)
    if (queue == NULL) {
      pthread_mutex_unlock(&mu);
      break;
    }
    batch = queue;
    queue = NULL;
#else
    if (queue != NULL) {
      batch = queue;
      queue = NULL;
    }
#endif
    pthread_mutex_unlock(&mu);
    for (struct job *n; batch; batch = n) {
      n = batch->next;
      run(batch);
    }
  }
  return arg;
}
