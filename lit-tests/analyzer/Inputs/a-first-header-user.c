// Another program of the database of programs-shared-header.c, first in
// it: it uses the header's helper, and takes no other order.
#include "ordered-pair.h"

pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
  first_then_second();
  return 0;
}
