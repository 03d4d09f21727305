// Poco's Mutex in miniature (Mutex.h, Mutex_POSIX.h/.cpp): the kind of the
// pthread mutex is set in the constructor of a private base class, defined
// in another file. Mutex is recursive, FastMutex is not.
#include <pthread.h>

class MutexImpl {
protected:
  MutexImpl();
  explicit MutexImpl(bool fast);
  void lockImpl() { pthread_mutex_lock(&mutex_); }
  void unlockImpl() { pthread_mutex_unlock(&mutex_); }

private:
  pthread_mutex_t mutex_;
};

class Mutex : private MutexImpl {
public:
  Mutex() {}
  void lock() { lockImpl(); }
  void unlock() { unlockImpl(); }
};

class FastMutex : private MutexImpl {
public:
  FastMutex() : MutexImpl(true) {}
  void lock() { lockImpl(); }
  void unlock() { unlockImpl(); }
};

template <class M> class ScopedLock {
public:
  explicit ScopedLock(M &m) : m_(m) { m_.lock(); }
  ~ScopedLock() { m_.unlock(); }

private:
  M &m_;
};
