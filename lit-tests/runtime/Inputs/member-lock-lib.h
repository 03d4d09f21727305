// A lock class whose constructor is defined in a library: with clang's
// default -fno-standalone-debug, a program that uses it has only its
// declaration in its debug information (run-member-names-library.cpp).
#include <pthread.h>

class LibMutex {
public:
  LibMutex();
  void lock() { pthread_mutex_lock(&m_); }
  void unlock() { pthread_mutex_unlock(&m_); }

private:
  pthread_mutex_t m_;
};
