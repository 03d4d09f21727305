// A callback that one program's main file stores in a library's field runs
// in that program only: here the library's loop thread runs another
// program's callback, which sets `status` under the callback lock, and this
// program's unlocked write of `status` while its loop runs is no race (its
// own callback does not touch it). Twin SAME: this program stores that
// callback too, and the write races with it.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/other "-I%S/Inputs" %S/Inputs/cb-library.c %S/Inputs/cb-first-program.c %s
// RUN: %lockgraph check -p %t/other 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/same "-I%S/Inputs -DSAME" %S/Inputs/cb-library.c %S/Inputs/cb-first-program.c %s
// RUN: not %lockgraph check -p %t/same 2>&1 | FileCheck %s --implicit-check-not=warning:
#include "cb-library.h"

static void count_message(struct client *c) {
  (void)c;
#if defined(SAME)
  if (status == 0)
    status = 1;
#endif
}

int main(void) {
  struct client c = {PTHREAD_MUTEX_INITIALIZER, 0};
  pthread_t t;
  set_message_callback(&c, count_message);
  start_loop(&c, &t);
  // CHECK: [[@LINE+1]]:3: warning: write to 'status' without holding 'client::callback_lock', which guards it at 2 of 3 accesses [lockgraph-race]
  status = 2;
  pthread_join(t, 0);
  return 0;
}
