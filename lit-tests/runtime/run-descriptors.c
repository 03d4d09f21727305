// `lockgraph run` hands the command the descriptors it was given and no
// more: its own (the shared symbolizer's socket and wake-up pipe) close at
// the command's exec, so the first descriptor the command opens is the one
// it opens without lockgraph, and its children inherit nothing of it.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %t > %t.native
// RUN: %lockgraph run -- %t > %t.run
// RUN: diff %t.native %t.run
// RUN: FileCheck %s < %t.run
// CHECK: open descriptors: 0 1 2{{( [0-9]+)*}} first new: {{[0-9]+}}
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
  // Any descriptor beyond what the native run has would be lockgraph's.
  printf("open descriptors:");
  for (int fd = 0; fd < 64; ++fd)
    if (fcntl(fd, F_GETFD) != -1)
      printf(" %d", fd);
  int first = open("/dev/null", O_RDONLY);
  printf(" first new: %d\n", first);
  return 0;
}
