#include "variant-queue.h"

static struct conn server_conn = {PTHREAD_MUTEX_INITIALIZER, 0};

int main(void) {
  pthread_mutex_lock(&server_conn.out_lock);
  queue_message(&server_conn);
  pthread_mutex_unlock(&server_conn.out_lock);
  return 0;
}
