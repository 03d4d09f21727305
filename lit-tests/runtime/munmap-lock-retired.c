// A lock in memory the program maps itself (a pool allocator's slab) ends
// with the mapping: once munmap (or an mremap that shrinks the mapping)
// gives the memory back, or a fixed mmap replaces it, a lock later made at
// the same address in the new mapping is another lock, and orders taken on
// the two are no cycle. The
// same memory kept mapped is the same lock, and the reverse order on it is
// a potential deadlock.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: %lockgraph run -- %t unmapped 2>&1 | FileCheck %s --check-prefix=GONE --implicit-check-not=warning:
// RUN: %lockgraph run -- %t shrunk 2>&1 | FileCheck %s --check-prefix=GONE --implicit-check-not=warning:
// RUN: %lockgraph run -- %t replaced 2>&1 | FileCheck %s --check-prefix=REPLACED --implicit-check-not=warning:
// RUN: not %lockgraph run -- %t still-mapped 2>&1 | FileCheck %s --check-prefix=KEPT
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

enum { Page = 4096 };

static pthread_mutex_t host_mu = PTHREAD_MUTEX_INITIALIZER;
static const char *mode;
static char *slab;

// Zeroed memory is a default pthread mutex, as a std::mutex is one that
// nothing initializes: no init or destroy call tells the runtime of it.
static pthread_mutex_t *slab_lock(char *where) {
  return (pthread_mutex_t *)(where + 64);
}

static void *slab_then_host(void *unused) {
  slab = mmap(NULL, 2 * Page, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  // The lock lives in the slab's second page.
  pthread_mutex_lock(slab_lock(slab + Page));
  pthread_mutex_lock(&host_mu);
  pthread_mutex_unlock(&host_mu);
  pthread_mutex_unlock(slab_lock(slab + Page));
  if (strcmp(mode, "unmapped") == 0)
    munmap(slab, 2 * Page);
  else if (strcmp(mode, "shrunk") == 0)
    mremap(slab, 2 * Page, Page, 0);
  return unused;
}

static void *host_then_slab(void *unused) {
  char *second = slab + Page;
  if (strcmp(mode, "replaced") == 0) {
    // A fixed mapping over the lock's page, zeroed: a new lock.
    second = mmap(slab + Page, Page, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("%s\n", second == slab + Page ? "page replaced" : "not replaced");
  } else if (strcmp(mode, "still-mapped") != 0) {
    // A new page where the lock's page was, zeroed: a new lock.
    second = mmap(slab + Page, Page, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("%s\n", second == slab + Page ? "new page at the old address"
                                         : "new page elsewhere");
  }
  pthread_mutex_lock(&host_mu);
  pthread_mutex_lock(slab_lock(second));
  pthread_mutex_unlock(slab_lock(second));
  pthread_mutex_unlock(&host_mu);
  return unused;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  mode = argv[1];
  // Two sibling threads: neither starts or joins the other.
  pthread_t t;
  pthread_create(&t, NULL, slab_then_host, NULL);
  pthread_join(t, NULL);
  pthread_create(&t, NULL, host_then_slab, NULL);
  pthread_join(t, NULL);
  return 0;
}
// GONE: new page at the old address
// GONE: lockgraph: 1 process recorded, 3 locks in the graph

// REPLACED: page replaced
// REPLACED: lockgraph: 1 process recorded, 3 locks in the graph

// KEPT: warning: potential deadlock: lock order cycle
