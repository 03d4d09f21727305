// A lock helper of a header that two programs of one database include
// (programs-shared-header.c): each program's `first` and `second`.
#include <pthread.h>

extern pthread_mutex_t first, second;

static inline void first_then_second(void) {
  pthread_mutex_lock(&first);
  pthread_mutex_lock(&second);
  pthread_mutex_unlock(&second);
  pthread_mutex_unlock(&first);
}
