// In code built without frame pointers a held lock's stack is the one or two
// return addresses the frame-pointer walk finds, and an acquisition from
// another place than the last one at its depth takes that stack from a
// per-thread memo (by frame and return address) instead of walking again.
// Here mu_x is taken at one depth from two functions in turn, so each
// acquisition after the first two comes from the memo; the one that records
// mu_x -> mu_y must still name the function that took mu_x then.
// REQUIRES: runtime
// RUN: %clang -O1 -fomit-frame-pointer %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <pthread.h>

pthread_mutex_t mu_x = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_y = PTHREAD_MUTEX_INITIALIZER;

// The empty asm after each call keeps it a call (not a tail jump).
__attribute__((noinline)) static void take_in_update(int nested) {
  pthread_mutex_lock(&mu_x);
  if (nested) {
    pthread_mutex_lock(&mu_y);
    pthread_mutex_unlock(&mu_y);
  }
  pthread_mutex_unlock(&mu_x);
  __asm__ volatile("");
}

__attribute__((noinline)) static void take_in_lookup(void) {
  pthread_mutex_lock(&mu_x);
  pthread_mutex_unlock(&mu_x);
  __asm__ volatile("");
}

static void *forward(void *p) {
  for (int i = 0; i < 8; ++i) {
    take_in_update(i == 7);
    take_in_lookup();
  }
  return p;
}

static void *backward(void *p) {
  pthread_mutex_lock(&mu_y);
  pthread_mutex_lock(&mu_x);
  pthread_mutex_unlock(&mu_x);
  pthread_mutex_unlock(&mu_y);
  return p;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, forward, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, backward, 0);
  pthread_join(t, 0);
  return 0;
}

// CHECK: Cycle in lock order graph: mu_x ({{.*}}) => mu_y
// CHECK: Lock mu_y acquired here while holding mu_x (thread T1):
// CHECK-NEXT: #0 take_in_update
// CHECK: Lock mu_x previously acquired by the same thread here:
// CHECK-NEXT: #0 take_in_update
// CHECK-NOT: take_in_lookup
