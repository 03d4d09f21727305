// Poco's BasicFIFOBuffer::read locks its recursive Poco::Mutex and calls
// peek(), which locks it again: legal. The same with a FastMutex is a
// self-deadlock.
#include "mutex.h"

struct Fifo {
  Mutex mutex_;
  int used_ = 0;
  int peek() {
    ScopedLock<Mutex> l(mutex_);
    return used_;
  }
  int read() {
    ScopedLock<Mutex> l(mutex_);
    int n = peek();
    used_ = 0;
    return n;
  }
};

struct FastFifo {
  FastMutex mutex_;
  int used_ = 0;
  int peek() {
    ScopedLock<FastMutex> l(mutex_);
    return used_;
  }
  int read() {
    ScopedLock<FastMutex> l(mutex_);
    int n = peek(); // FAST-DOUBLE-LOCK
    used_ = 0;
    return n;
  }
};

int readBoth(Fifo &a, FastFifo &b) { return a.read() + b.read(); }

// Globals of the two classes, locked again through a call.
Mutex g_registry_mu;
FastMutex g_fast_mu;
int g_entries;
int countEntries() {
  ScopedLock<Mutex> l(g_registry_mu);
  return g_entries;
}
int addEntry() {
  ScopedLock<Mutex> l(g_registry_mu);
  return ++g_entries + countEntries();
}
int fastCount() {
  ScopedLock<FastMutex> l(g_fast_mu);
  return g_entries;
}
int fastAdd() {
  ScopedLock<FastMutex> l(g_fast_mu);
  return g_entries + fastCount(); // FAST-GLOBAL-DOUBLE-LOCK
}
