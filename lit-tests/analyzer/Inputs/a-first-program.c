// Another program of the database of programs-in-one-database.c (each test
// its own executable): a main and a worker of the same names, and globals
// of the same names, taken first -> second.
#include <pthread.h>

pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;
int counter;

void *worker(void *arg) {
  pthread_mutex_lock(&first);
  pthread_mutex_lock(&second);
  counter++;
  pthread_mutex_unlock(&second);
  pthread_mutex_unlock(&first);
  return arg;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  worker(0);
  pthread_join(t, 0);
  return 0;
}
