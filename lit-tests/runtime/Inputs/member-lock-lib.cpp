#include "member-lock-lib.h"

LibMutex::LibMutex() { pthread_mutex_init(&m_, nullptr); }
