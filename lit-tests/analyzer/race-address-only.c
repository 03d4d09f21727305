// Keeping the address of a shared variable in a local pointer reads and
// writes nothing (memcached's `s_cls = &slabclass[id]` before it takes
// slabs_lock), nor does comparing with it (nng's `node == &list->ll_head`);
// what goes through the pointer is not followed. Handing the
// address to a function that writes through it (memset) without the lock is
// a write that races with the guarded ones.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/address "" %s
// RUN: %lockgraph check -p %t/address 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/memset "-DLOAD" %s
// RUN: not %lockgraph check -p %t/memset 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <string.h>

struct slab_class {
  unsigned size, pages;
};

static pthread_mutex_t slabs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slab_class slabclass[4];

static unsigned move_page(int id) {
  struct slab_class *cls;
  cls = &slabclass[id];
  struct slab_class *same = &slabclass[id];
  unsigned size = 0;
  if (cls == &slabclass[0])
    size = 1;
#ifdef LOAD
  memset(&slabclass[id], 0, sizeof(struct slab_class));
  // CHECK-DAG: race-address-only.c:[[@LINE-1]]:11: note: write to 'slabclass' here
#endif
  pthread_mutex_lock(&slabs_lock);
  cls->pages++;
  size += same->size;
  pthread_mutex_unlock(&slabs_lock);
  return size;
}

static void *rebalancer(void *arg) {
  return (void *)(unsigned long)move_page(1);
  // CHECK-DAG: race-address-only.c:[[@LINE-1]]:33: warning: call to 'move_page' writes 'slabclass' without holding 'slabs_lock', which guards it at 2 of 3 accesses [lockgraph-race]
}

static void *grower(void *arg) {
  pthread_mutex_lock(&slabs_lock);
  slabclass[2].pages = 1;
  pthread_mutex_unlock(&slabs_lock);
  pthread_mutex_lock(&slabs_lock);
  slabclass[3].size = 64;
  pthread_mutex_unlock(&slabs_lock);
  return arg;
}

int main(void) {
  pthread_t r, g;
  pthread_create(&r, 0, rebalancer, 0);
  pthread_create(&g, 0, grower, 0);
  pthread_join(r, 0);
  pthread_join(g, 0);
  return 0;
}
