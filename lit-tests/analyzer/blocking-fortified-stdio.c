// stdio output is not on the default blocking list (docs: it is mostly on
// print-and-abort paths), and a user adds it by name. Under clang,
// -D_FORTIFY_SOURCE turns printf(...) into __printf_chk(...) by a macro; the
// name the user gave still matches, and the finding names the call as written.
// The default list reports neither; the twin prints after the unlock.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/fortified "-O2 -D_FORTIFY_SOURCE=2" %s
// RUN: not %lockgraph check -p %t/fortified --no-cache --blocking-functions=printf,fprintf 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %lockgraph check -p %t/fortified --no-cache | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/plain "-O0" %s
// RUN: not %lockgraph check -p %t/plain --no-cache --blocking-functions=printf,fprintf 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-O2 -D_FORTIFY_SOURCE=2 -DFIXED" %s
// RUN: %lockgraph check -p %t/fixed --no-cache --blocking-functions=printf,fprintf | count 0
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static int lines;

void log_line(int value) {
  pthread_mutex_lock(&log_mu);
  ++lines;
#ifndef FIXED
  // CHECK: [[@LINE+2]]:3: warning: blocking call to 'printf' while holding 'log_mu' [lockgraph-blocking-under-lock]
  // CHECK: [[@LINE+2]]:3: warning: blocking call to 'fprintf' while holding 'log_mu' [lockgraph-blocking-under-lock]
  printf("%d\n", value);
  fprintf(stderr, "%d\n", lines);
#endif
  pthread_mutex_unlock(&log_mu);
#ifdef FIXED
  printf("%d\n", value);
  fprintf(stderr, "%d\n", lines);
#endif
}
