// Another program of the database of race-programs-in-one-database.c: a
// worker and a global of the same names, the global always written under
// this program's own lock.
#include <pthread.h>

pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
int counter;

void *worker(void *arg) {
  pthread_mutex_lock(&first);
  counter++;
  pthread_mutex_unlock(&first);
  pthread_mutex_lock(&first);
  counter += 2;
  pthread_mutex_unlock(&first);
  return arg;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  worker(0);
  pthread_join(t, 0);
  return counter;
}
