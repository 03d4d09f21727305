// What the path-budget tests share: locks taken once up front exist before
// a call path fills up, so that it samples them; each scenario runs in a
// thread of its own, one after the other.
#include <pthread.h>

static void touch(pthread_mutex_t *m) {
  pthread_mutex_lock(m);
  pthread_mutex_unlock(m);
}

static void init_and_touch(pthread_mutex_t *locks, int n) {
  for (int i = 0; i < n; ++i)
    pthread_mutex_init(&locks[i], 0);
  for (int i = 0; i < n; ++i)
    touch(&locks[i]);
}

static void run(void *(*fn)(void *)) {
  pthread_t t;
  pthread_create(&t, 0, fn, 0);
  pthread_join(t, 0);
}
