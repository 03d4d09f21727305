// The library of lock-order-build-targets.c: the locks.
#include <pthread.h>

pthread_mutex_t config = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t stats = PTHREAD_MUTEX_INITIALIZER;
