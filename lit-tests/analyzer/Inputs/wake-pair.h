// The wake-up pair of blocking-nonblocking-out-param-files.c.
#include <pthread.h>

struct loop {
  pthread_mutex_t mutex;
  int wake_read, wake_write;
};

int open_wake_pair(int *read_end, int *write_end);
void init_loop(struct loop *l);
