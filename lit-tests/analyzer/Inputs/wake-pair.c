// Opens the pair of blocking-nonblocking-out-param.c (BLOCKING: and
// leaves it blocking).
#include "wake-pair.h"
#include <fcntl.h>
#include <sys/socket.h>

static int set_nonblocking(int *sock) {
#if defined(BLOCKING)
  (void)sock;
  return 0;
#else
  int flags = fcntl(*sock, F_GETFL, 0);
  return flags == -1 || fcntl(*sock, F_SETFL, flags | O_NONBLOCK) == -1;
#endif
}

int open_wake_pair(int *read_end, int *write_end) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
    return 1;
  if (set_nonblocking(&sv[0]) || set_nonblocking(&sv[1]))
    return 1;
  *read_end = sv[0];
  *write_end = sv[1];
  return 0;
}
