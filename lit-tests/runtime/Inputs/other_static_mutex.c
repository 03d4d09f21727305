// A file-static lock with the same name as run-same-name-statics.c's.
#include <pthread.h>

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;

void shared_then_other_mutex(pthread_mutex_t *shared) {
  pthread_mutex_lock(shared);
  pthread_mutex_lock(&mutex);
  pthread_mutex_unlock(&mutex);
  pthread_mutex_unlock(shared);
}
