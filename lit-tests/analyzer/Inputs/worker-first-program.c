// The other program of race-program-library-thread.c: it starts the
// library's worker.
#include "worker-library.h"

int main(void) {
  pthread_t t;
  start_worker(&t);
  pthread_join(t, 0);
  return 0;
}
