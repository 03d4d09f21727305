// The lock wrappers of blocking-lock-result-wrapper.c: each returns the
// lock call's result (APR's apr_thread_mutex_lock).
#include "result-lock-wrapper.h"

int object_lock(struct object *o) { return pthread_mutex_lock(&o->mutex); }
int object_unlock(struct object *o) { return pthread_mutex_unlock(&o->mutex); }
