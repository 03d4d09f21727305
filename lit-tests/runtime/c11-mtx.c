// C11 <threads.h> mutexes are seen too (glibc's mtx_* do not go through the
// interposed pthread functions).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s
#include <threads.h>

mtx_t m_x, m_y;

static int xy(void *p) { mtx_lock(&m_x); mtx_lock(&m_y); mtx_unlock(&m_y); mtx_unlock(&m_x); return 0; }
static int yx(void *p) { mtx_lock(&m_y); mtx_lock(&m_x); mtx_unlock(&m_x); mtx_unlock(&m_y); return 0; }

int main(void) {
  mtx_init(&m_x, mtx_plain);
  mtx_init(&m_y, mtx_plain);
  thrd_t t;
  thrd_create(&t, xy, 0);
  thrd_join(t, 0);
  thrd_create(&t, yx, 0);
  thrd_join(t, 0);
  return 0;
}

// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: m_x ({{.*}}) => m_y ({{.*}}) => m_x
