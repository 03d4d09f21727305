#pragma once
#include <pthread.h>

typedef struct boxed_mutex {
  void *pool;
  pthread_mutex_t mutex;
} boxed_mutex;

int boxed_mutex_create(boxed_mutex **out);
int boxed_mutex_lock(boxed_mutex *m);
int boxed_mutex_unlock(boxed_mutex *m);
