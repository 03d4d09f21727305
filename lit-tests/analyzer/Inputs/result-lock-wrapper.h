// The lock wrappers of blocking-lock-result-wrapper.c.
#ifndef RESULT_LOCK_WRAPPER_H
#define RESULT_LOCK_WRAPPER_H
#include <pthread.h>

struct object {
  pthread_mutex_t mutex;
  int uses;
};

int object_lock(struct object *o);
int object_unlock(struct object *o);
#endif
