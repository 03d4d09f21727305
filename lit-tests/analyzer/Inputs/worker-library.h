// The library of race-program-library-thread.c.
#include <pthread.h>

extern int counter;
void start_worker(pthread_t *thread);
