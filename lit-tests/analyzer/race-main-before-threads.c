// main sets its configuration before it calls the function that starts the
// threads (memcached's option parsing before thread_init): nothing runs
// beside it yet, or only a logger thread that never reads it. The same write
// after that call races with the workers, and so does one before it in a
// loop that calls it again.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: %lockgraph check -p %t/ok 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/logger "-DLOGGER" %s
// RUN: %lockgraph check -p %t/logger 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/late "-DLATE" %s
// RUN: not %lockgraph check -p %t/late 2>&1 | FileCheck %s --check-prefix=LATE --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/loop "-DLOOP" %s
// RUN: not %lockgraph check -p %t/loop 2>&1 | FileCheck %s --check-prefix=LOOP --implicit-check-not=warning:
#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int limit;
static pthread_t workers[2];

static void *worker(void *arg) {
  pthread_mutex_lock(&mu);
  if (limit > 0)
    --limit;
  pthread_mutex_unlock(&mu);
  return arg;
}

static void start_workers(void) {
  for (int i = 0; i < 2; i++)
    pthread_create(&workers[i], 0, worker, 0);
}

static void stop_workers(void) {
  for (int i = 0; i < 2; i++)
    pthread_join(workers[i], 0);
}

static void *log_lines(void *arg) { return arg; }

static void start_logger(void) {
  pthread_t logger;
  pthread_create(&logger, 0, log_lines, 0);
}

static void configure(int n) {
  limit = n;
}

int main(int argc, char **argv) {
#ifdef LOGGER
  start_logger();
#endif
#ifdef LOOP
  for (int round = 0; round < argc; round++) {
    configure(round);
    // LOOP: race-main-before-threads.c:[[@LINE-1]]:5: warning: call to 'configure' writes 'limit' without holding 'mu', which guards it at 2 of 3 accesses [lockgraph-race]
    start_workers();
  }
#else
  configure(argc);
  start_workers();
#endif
#ifdef LATE
  limit = 0;
  // LATE: race-main-before-threads.c:[[@LINE-1]]:3: warning: write to 'limit' without holding 'mu', which guards it at 2 of 3 accesses [lockgraph-race]
#endif
  stop_workers();
  return 0;
}
