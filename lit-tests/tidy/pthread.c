/* The plugin runs on C too: AB-BA with pthread mutexes in one file, and its
 * fixed twin.
 * REQUIRES: tidy-plugin
 * RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c11 2>&1 | FileCheck %s --implicit-check-not='warning:'
 * RUN: %clang_tidy --quiet --load=%tidy_plugin --checks='-*,lockgraph-*' %s -- -std=c11 -DFIXED 2>&1 | count 0
 */
#include <pthread.h>

pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t index_mu = PTHREAD_MUTEX_INITIALIZER;

void insert(void) {
  pthread_mutex_lock(&table_mu);
  pthread_mutex_lock(&index_mu);
  pthread_mutex_unlock(&index_mu);
  pthread_mutex_unlock(&table_mu);
}

void reindex(void) {
#ifdef FIXED
  pthread_mutex_lock(&table_mu);
  pthread_mutex_lock(&index_mu);
#else
  pthread_mutex_lock(&index_mu);
  pthread_mutex_lock(&table_mu);
  // CHECK: pthread.c:[[@LINE-1]]:3: warning: potential deadlock: lock order cycle index_mu -> table_mu -> index_mu [lockgraph-lock-order]
  // CHECK: pthread.c:[[@LINE-3]]:3: note: 'index_mu' acquired here
  // CHECK: pthread.c:14:3: note: 'index_mu' acquired here while holding 'table_mu'
#endif
  pthread_mutex_unlock(&table_mu);
  pthread_mutex_unlock(&index_mu);
}
