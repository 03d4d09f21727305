/* Sample 09: a non-recursive mutex locked twice through a callback.
 *
 * What goes wrong: registry_notify() holds reg_mu while it calls the
 * registered callbacks. One callback, report_size(), asks the registry for
 * its size, and registry_size() locks reg_mu again, in the same thread. A
 * default (non-recursive) pthread mutex locked twice by its owner is a
 * deadlock with itself: the thread waits forever for a lock it holds. Nothing
 * in registry_size() or report_size() looks wrong on its own; the second lock
 * is reached through a function pointer.
 *
 * This run never hangs the program: the notification runs in a worker
 * thread, and main gives up on it after 200 ms, reports it stuck, and exits
 * (reg_mu is a static that is never destroyed, so nothing at exit touches the
 * lock the stuck thread holds). lockgraph reports the double lock when the
 * second lock is requested, before the thread blocks.
 *
 * Fixed twin: callback_fixed.c calls the callbacks after unlocking.
 * Check: lockgraph-double-lock (run time; the static half does not follow
 * calls through function pointers).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

typedef void (*callback_fn)(int event);

enum { kMaxCallbacks = 4 };

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER; /* non-recursive */
static callback_fn callbacks[kMaxCallbacks];               /* guarded by reg_mu */
static int ncallbacks;                                     /* guarded by reg_mu */

static void registry_add(callback_fn fn) {
  pthread_mutex_lock(&reg_mu);
  if (ncallbacks < kMaxCallbacks)
    callbacks[ncallbacks++] = fn;
  pthread_mutex_unlock(&reg_mu);
}

/* Returns the number of callbacks. Caller must not hold reg_mu. */
static int registry_size(void) {
  pthread_mutex_lock(&reg_mu); /* BUG when reached from a callback */
  int n = ncallbacks;
  pthread_mutex_unlock(&reg_mu);
  return n;
}

/* Calls every registered callback with Event. */
static void registry_notify(int event) {
  pthread_mutex_lock(&reg_mu);
  for (int i = 0; i < ncallbacks; ++i)
    callbacks[i](event); /* runs user code while holding reg_mu */
  pthread_mutex_unlock(&reg_mu);
}

static int events_seen;
static int last_size = -1;
static void count_event(int event) { events_seen += event; }
static void report_size(int event) {
  (void)event;
  last_size = registry_size(); /* re-enters the registry: locks reg_mu again */
}

static atomic_int notify_done;

static void *notifier(void *arg) {
  (void)arg;
  registry_notify(1);
  atomic_store(&notify_done, 1);
  return NULL;
}

int main(void) {
  registry_add(count_event);
  registry_add(report_size);

  pthread_t thread;
  pthread_create(&thread, NULL, notifier, NULL);
  struct timespec now, give_up, one_ms = {0, 1000000};
  clock_gettime(CLOCK_MONOTONIC, &give_up);
  give_up.tv_nsec += 200000000; /* 200 ms */
  if (give_up.tv_nsec >= 1000000000) {
    give_up.tv_sec += 1;
    give_up.tv_nsec -= 1000000000;
  }
  for (;;) {
    if (atomic_load(&notify_done))
      break;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > give_up.tv_sec ||
        (now.tv_sec == give_up.tv_sec && now.tv_nsec >= give_up.tv_nsec))
      break;
    nanosleep(&one_ms, NULL);
  }

  if (!atomic_load(&notify_done)) {
    printf("callback: notifier stuck (locked reg_mu twice), giving up\n");
    pthread_detach(thread); /* it never returns */
    return 0;
  }
  pthread_join(thread, NULL);
  printf("callback: %d callbacks, %d events\n", last_size, events_seen);
  return 0;
}
