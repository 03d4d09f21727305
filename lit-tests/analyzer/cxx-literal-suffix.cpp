// A string literal followed by a macro without a space ("%"PRIuMAX"\n",
// pbzip2) is a literal with a reserved suffix in C++11: GCC only warns, clang
// makes it an error by default, so the TU was dropped ("could not be parsed;
// not analyzed", exit status 2). Code that builds with g++ is analyzed: the
// blocking call under the lock is found, and the fixed twin is silent.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --implicit-check-not=warning: < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR --implicit-check-not=error: < %t/err.txt
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <cinttypes>
#include <cstdio>
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

void report(uintmax_t n) {
  pthread_mutex_lock(&m);
  fprintf(stderr, "%"PRIuMAX"\n", n);
#ifdef FIXED
  pthread_mutex_unlock(&m);
#endif
  sleep(1);
  // CHECK: cxx-literal-suffix.cpp:[[@LINE-1]]:3: warning: blocking call to 'sleep' while holding 'm' [lockgraph-blocking-under-lock]
  // CHECK-NEXT: cxx-literal-suffix.cpp:[[@LINE-7]]:3: note: 'm' acquired here
#ifndef FIXED
  pthread_mutex_unlock(&m);
#endif
}
// ERR: 1 finding.
