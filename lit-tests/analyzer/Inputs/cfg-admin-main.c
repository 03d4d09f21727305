// The admin tool of lock-order-program-same-name.c.
#include "cfg-locks.h"

int main(void) {
  load_config();
  return 0;
}
