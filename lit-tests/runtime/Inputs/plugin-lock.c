// The plugin of dlclose-lock-retired.c: a global lock and the functions
// that take it, built twice as two libraries.
#include <pthread.h>
pthread_mutex_t plugin_mu = PTHREAD_MUTEX_INITIALIZER;
void plugin_lock(void) { pthread_mutex_lock(&plugin_mu); }
void plugin_unlock(void) { pthread_mutex_unlock(&plugin_mu); }
