/* Sample 09, fixed: a non-recursive mutex locked twice through a callback.
 *
 * The bug (callback.c): registry_notify() called the callbacks while holding
 * reg_mu, and a callback that used the registry locked reg_mu a second time.
 *
 * Why the fix works: registry_notify() copies the callback list under reg_mu
 * and calls the callbacks after unlocking it, so a callback may use the whole
 * registry API (or block, or take other locks) without holding reg_mu. A
 * recursive mutex would hide the symptom, not the problem: the callback
 * would run with the registry locked and could see it half-updated.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
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
  pthread_mutex_lock(&reg_mu);
  int n = ncallbacks;
  pthread_mutex_unlock(&reg_mu);
  return n;
}

/* Calls every registered callback with Event. Caller must not hold reg_mu. */
static void registry_notify(int event) {
  callback_fn copy[kMaxCallbacks];
  pthread_mutex_lock(&reg_mu);
  int n = ncallbacks;
  memcpy(copy, callbacks, sizeof copy); /* FIX: copy under the lock... */
  pthread_mutex_unlock(&reg_mu);
  for (int i = 0; i < n; ++i)
    copy[i](event); /* ...and call user code without holding it */
}

static int events_seen;
static int last_size = -1;
static void count_event(int event) { events_seen += event; }
static void report_size(int event) {
  (void)event;
  last_size = registry_size(); /* fine now: reg_mu is not held here */
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

  pthread_t thread; /* same schedule as callback.c */
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
    pthread_detach(thread);
    return 0;
  }
  pthread_join(thread, NULL);
  printf("callback: %d callbacks, %d events\n", last_size, events_seen);
  return 0;
}
