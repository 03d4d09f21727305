/* pthread mutex, rwlock and spinlock, and C11 mtx_t, in C.
 * RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
 * RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
 * RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
 * RUN: %lockgraph check -p %t/fixed | count 0
 */
#include <pthread.h>
#include <threads.h>

pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t index_lock = PTHREAD_RWLOCK_INITIALIZER;
pthread_spinlock_t stats_lock;
mtx_t queue_mu, pool_mu;

void insert(void) {
  pthread_mutex_lock(&table_mu);
  pthread_rwlock_wrlock(&index_lock);
  pthread_spin_lock(&stats_lock);
  pthread_spin_unlock(&stats_lock);
  pthread_rwlock_unlock(&index_lock);
  pthread_mutex_unlock(&table_mu);
}

void reindex(void) {
#ifdef FIXED
  pthread_mutex_lock(&table_mu);
  pthread_rwlock_wrlock(&index_lock);
#else
  pthread_rwlock_wrlock(&index_lock);
  pthread_mutex_lock(&table_mu);
  // CHECK: pthread-c11.c:[[@LINE-1]]:3: warning: potential deadlock: lock order cycle index_lock -> table_mu -> index_lock [lockgraph-lock-order]
#endif
  pthread_mutex_unlock(&table_mu);
  pthread_rwlock_unlock(&index_lock);
}

/* A trylock that is tested is held only on its success branch. */
void tryStats(void) {
  pthread_spin_lock(&stats_lock);
  if (pthread_mutex_trylock(&table_mu) == 0)
    pthread_mutex_unlock(&table_mu);
  pthread_spin_unlock(&stats_lock);
}

void produce(void) {
  mtx_lock(&queue_mu);
  mtx_lock(&pool_mu);
  mtx_unlock(&pool_mu);
  mtx_unlock(&queue_mu);
}

void consume(void) {
#ifdef FIXED
  mtx_lock(&queue_mu);
  mtx_lock(&pool_mu);
#else
  mtx_lock(&pool_mu);
  mtx_lock(&queue_mu);
  // CHECK: pthread-c11.c:[[@LINE-1]]:3: warning: potential deadlock: lock order cycle pool_mu -> queue_mu -> pool_mu [lockgraph-lock-order]
#endif
  mtx_unlock(&queue_mu);
  mtx_unlock(&pool_mu);
}
