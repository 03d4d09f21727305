// The wake-up pair of blocking-nonblocking-out-param.c.
#ifndef WAKE_PAIR_H
#define WAKE_PAIR_H
#include <pthread.h>

struct loop {
  pthread_mutex_t mutex;
  int wake_read, wake_write;
};

int open_wake_pair(int *read_end, int *write_end);
void init_loop(struct loop *l);
#endif
